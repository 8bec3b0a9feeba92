package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDK's {@link ProcessBuilder} (with {@code VFORK} unless the user chose otherwise). Java
 * cannot create a session, so a new session costs one more program: {@code setsid}, where it is
 * installed.
 */
final class JdkLauncher implements Launcher {

  private final String setsid;

  JdkLauncher() {
    this.setsid = findSetsid();
  }

  @Override
  public Process start(Launch launch, boolean newSession) throws IOException {
    List<String> command = new ArrayList<>(launch.command().size() + 1);
    if (newSession) {
      if (setsid == null) {
        throw new IOException("no setsid program to start the function in a session of its own");
      }
      command.add(setsid);
    }
    command.addAll(launch.command());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(launch.environment());
    if (!launch.pipeStdout()) {
      builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
    }
    if (launch.mergeStderr()) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    }
    return builder.start();
  }

  @Override
  public boolean startsSessions() {
    return setsid != null;
  }

  @Override
  public String name() {
    return "jdk";
  }

  private static String findSetsid() {
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid", "/usr/sbin/setsid")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return null;
  }
}
