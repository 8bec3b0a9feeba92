package dev.jakartafaas.ui;

import dev.jakartafaas.testing.Needs;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the browser test scripts of {@code src/test/ui} with Node.js and Debian's chromium, after
 * {@code npm ci} when their dependencies are missing. Without the tools a test is skipped with a
 * message, except under {@code CI=true}, where that fails it.
 */
public final class BrowserScripts {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path TESTS = Path.of(System.getProperty("portal.tests", "src/test/ui"));

  /** What a run printed and how it ended. */
  public record Result(int exit, String output) {}

  private BrowserScripts() {}

  /** Runs {@code node <script> <args...>} in the scripts' folder with extra environment. */
  public static Result node(String script, List<String> args, Map<String, String> env, int minutes)
      throws Exception {
    Optional<Path> node = onPath("node");
    Optional<Path> npm = onPath("npm");
    String missing =
        (node.isEmpty() ? "node " : "")
            + (npm.isEmpty() ? "npm " : "")
            + (Files.isExecutable(CHROMIUM) ? "" : CHROMIUM + " ");
    Needs.that(
        missing.isEmpty(),
        "browser tests need " + missing.trim() + " (bash stack/prerequisites.sh installs them)");
    synchronized (BrowserScripts.class) {
      if (!Files.isDirectory(TESTS.resolve("node_modules/playwright-core"))) {
        Result install =
            run(List.of(npm.get().toString(), "ci", "--no-audit", "--no-fund"), Map.of(), 5);
        if (install.exit() != 0) {
          throw new AssertionError("npm ci in " + TESTS + ":\n" + install.output());
        }
      }
    }
    List<String> command = new ArrayList<>(List.of(node.get().toString(), script));
    command.addAll(args);
    return run(command, env, minutes);
  }

  /** Runs a command in the scripts' folder, output merged, within a bounded time. */
  private static Result run(List<String> command, Map<String, String> env, int minutes)
      throws Exception {
    Path log = Files.createTempFile("portal-", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(TESTS.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new Result(-1, "timed out after " + minutes + " min:\n" + Files.readString(log));
      }
      return new Result(p.exitValue(), Files.readString(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static Optional<Path> onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
