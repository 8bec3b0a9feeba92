package dev.jakartafaas.watchdog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The watchdog's settings, read once from the environment (OpenFaaS variable names). Parsing fails
 * fast with a message that names the offending variable, so a bad deployment never starts.
 */
public record WatchdogConfig(
    List<String> command,
    Mode mode,
    String bindAddress,
    int port,
    String upstreamUrl,
    Duration readTimeout,
    Duration writeTimeout,
    Duration execTimeout,
    Duration healthcheckInterval,
    int maxInflight,
    boolean combineOutput,
    boolean writeDebug,
    String contentType,
    boolean suppressLock,
    boolean cgiHeaders,
    long maxBodyBytes,
    long maxOutputBytes,
    int metricsPort,
    Path lockFile,
    Path cgroupProcs,
    boolean classicAnswers,
    Launcher.Choice launcher,
    Map<String, String> environment) {

  /** How a request reaches the function. */
  public enum Mode {
    /** A new process per request: body to STDIN, STDOUT to the response. */
    FORK,
    /** One long-running process that serves HTTP on {@code upstream_url}; requests are proxied. */
    HTTP
  }

  public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;
  public static final long DEFAULT_MAX_OUTPUT_BYTES = 64L * 1024 * 1024;

  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

  /** Thrown when a variable has a value the watchdog cannot run with. */
  public static final class InvalidConfigException extends IllegalArgumentException {
    InvalidConfigException(String message) {
      super(message);
    }
  }

  /** Reads the configuration from an environment map ({@code System.getenv()} in production). */
  public static WatchdogConfig from(Map<String, String> env) {
    String fprocess = env.getOrDefault("fprocess", "").trim();
    if (fprocess.isEmpty()) {
      throw new InvalidConfigException(
          "fprocess is required: set it to the command to run, for example fprocess=cat");
    }
    List<String> command = splitCommand(fprocess);
    Mode mode = parseMode(env.get("mode"));
    Duration writeTimeout = duration(env, "write_timeout", Duration.ofSeconds(5));
    return new WatchdogConfig(
        command,
        mode,
        env.getOrDefault("bind_address", "0.0.0.0"),
        port(env, "port", 8080),
        upstreamUrl(env),
        duration(env, "read_timeout", Duration.ofSeconds(5)),
        writeTimeout,
        duration(env, "exec_timeout", Duration.ZERO),
        duration(env, "healthcheck_interval", Duration.ZERO),
        (int) nonNegative(env, "max_inflight", 0, Integer.MAX_VALUE),
        bool(env, "combine_output", true),
        bool(env, "write_debug", false),
        blankToNull(env.get("content_type")),
        bool(env, "suppress_lock", false),
        bool(env, "cgi_headers", true),
        nonNegative(env, "max_body_bytes", DEFAULT_MAX_BODY_BYTES, Long.MAX_VALUE),
        nonNegative(env, "max_output_bytes", DEFAULT_MAX_OUTPUT_BYTES, Long.MAX_VALUE),
        port(env, "metrics_port", 0),
        Path.of(env.getOrDefault("TMPDIR", "/tmp"), ".lock"),
        cgroupProcs(env),
        bool(env, "classic_answers", false),
        Launcher.Choice.parse(env.get("launcher")),
        Map.copyOf(env));
  }

  /** Splits {@code fprocess} on spaces, as the classic watchdog does: no shell, no quoting. */
  static List<String> splitCommand(String fprocess) {
    List<String> parts = new ArrayList<>();
    for (String part : fprocess.split(" ")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    return List.copyOf(parts);
  }

  /**
   * The duration forms OpenFaaS users write: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or
   * a plain number of seconds.
   */
  static Duration parseDuration(String name, String value) {
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new InvalidConfigException(
          name
              + "="
              + value
              + " is not a duration: use a number of seconds or a value such as 500ms, 10s, 2m");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    double millis =
        switch (unit) {
          case "ms" -> amount;
          case "s" -> amount * 1_000;
          case "m" -> amount * 60_000;
          default -> amount * 3_600_000;
        };
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  static boolean parseBool(String name, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "t", "yes" -> true;
      case "false", "0", "f", "no" -> false;
      default ->
          throw new InvalidConfigException(
              name + "=" + value + " is not a boolean: use true or false");
    };
  }

  /** The executable that {@code command[0]} names, resolved against {@code PATH} once at start. */
  static Path resolveExecutable(String executable, String pathVariable) {
    if (executable.contains("/")) {
      Path path = Path.of(executable);
      if (Files.isRegularFile(path) && Files.isExecutable(path)) {
        return path;
      }
      throw new InvalidConfigException(
          "fprocess: " + executable + " does not exist or is not executable");
    }
    String searchPath =
        pathVariable == null || pathVariable.isBlank() ? "/usr/bin:/bin" : pathVariable;
    for (String dir : searchPath.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, executable);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new InvalidConfigException(
        "fprocess: command " + executable + " was not found on PATH (" + searchPath + ")");
  }

  private static Mode parseMode(String value) {
    if (value == null || value.isBlank()) {
      return Mode.FORK;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "fork" -> Mode.FORK;
      case "http" -> Mode.HTTP;
      default ->
          throw new InvalidConfigException(
              "mode=" + value + " is not supported: use fork (default) or http");
    };
  }

  /** The {@code cgroup.procs} file function processes join, or null; it must exist at start. */
  private static Path cgroupProcs(Map<String, String> env) {
    String value = blankToNull(env.get("cgroup_procs"));
    if (value == null) {
      return null;
    }
    Path path = Path.of(value);
    if (!Files.exists(path)) {
      throw new InvalidConfigException(
          "cgroup_procs=" + value + " does not exist: name the cgroup.procs file of a cgroup");
    }
    return path;
  }

  private static String upstreamUrl(Map<String, String> env) {
    String value = blankToNull(env.get("upstream_url"));
    if (value == null) {
      return null;
    }
    UpstreamAddress.parse(value);
    return value;
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : parseDuration(name, value);
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : parseBool(name, value);
  }

  private static long nonNegative(Map<String, String> env, String name, long fallback, long max) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed < 0 || parsed > max) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(
          name + "=" + value + " is not valid: use a whole number from 0 to " + max);
    }
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    return (int) nonNegative(env, name, fallback, 65535);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
