package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Starts one function process. On Java 17 the JDK's {@link ProcessBuilder} does it; on Java 22 and
 * newer the watchdog calls {@code posix_spawn} itself (the multi-release classes of this jar),
 * which costs what the same call costs from C: no descriptor sweep in the child and no reaper
 * thread.
 */
interface Launcher {

  /** The {@code launcher} setting: which implementation starts function processes. */
  enum Choice {
    /** {@code posix_spawn} where the JVM can call it (Java 22+ on Linux), else the JDK's. */
    AUTO,
    /** Always the JDK's {@link ProcessBuilder}. */
    JDK,
    /** Always {@code posix_spawn}; the watchdog does not start where it cannot be called. */
    NATIVE;

    static Choice parse(String value) {
      if (value == null || value.isBlank()) {
        return AUTO;
      }
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "auto" -> AUTO;
        case "jdk" -> JDK;
        case "native" -> NATIVE;
        default ->
            throw new WatchdogConfig.InvalidConfigException(
                "launcher=" + value + " is not supported: use auto (default), jdk or native");
      };
    }
  }

  /**
   * What to start: the command (its first element an absolute path) and the process's whole
   * environment. STDIN is always a pipe from the watchdog; STDOUT is a pipe to it when {@code
   * pipeStdout}, else the watchdog's own; STDERR joins STDOUT when {@code mergeStderr}, else it is
   * the watchdog's own STDERR.
   */
  record Launch(
      List<String> command,
      Map<String, String> environment,
      boolean pipeStdout,
      boolean mergeStderr) {}

  /**
   * Starts the process; with {@code newSession} it leads a session (and process group) of its own,
   * so that everything it starts can be found and killed with it.
   */
  Process start(Launch launch, boolean newSession) throws IOException;

  /** Whether {@link #start} can give the process a session of its own. */
  boolean startsSessions();

  /** A short name for the log line at start. */
  String name();

  /** The launcher for this JVM and this choice. */
  static Launcher of(Choice choice) {
    return Launchers.pick(choice);
  }
}
