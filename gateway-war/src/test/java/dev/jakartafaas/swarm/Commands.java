package dev.jakartafaas.swarm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the commands of the swarm system tests ({@code docker}, the stack's scripts) in the
 * repository's root, bounded in time, with an environment of their own ({@code DOCKER_HOST} for a
 * node of a test cluster, say).
 */
final class Commands {

  static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).normalize();

  private final Map<String, String> env;

  /** Commands with the environment of the tests plus {@code env}. */
  Commands(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** Commands with the environment of the tests. */
  static Commands local() {
    return new Commands(Map.of());
  }

  /** Its output; an exception naming the command, its exit code and its output's end otherwise. */
  String run(Duration limit, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("swarm-it", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " took over " + limit.toSeconds() + " s");
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command) + " exited " + p.exitValue() + ": " + tail(output));
      }
      return output;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** As {@link #run} within 30 s, for conditions polled in a lambda: failures are unchecked. */
  String unchecked(String... command) {
    try {
      return run(Duration.ofSeconds(30), command);
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The output's non-blank lines, stripped. */
  static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static String tail(String s) {
    return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
  }
}
