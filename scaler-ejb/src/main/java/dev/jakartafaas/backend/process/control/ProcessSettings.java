package dev.jakartafaas.backend.process.control;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * The process backend's configuration ({@code faas.process.*} and {@code faas.data-dir}), read once
 * from MicroProfile Config (or written directly by tests).
 *
 * @param java the {@code java} executable that runs the watchdog
 * @param jvmOptions options for each replica's JVM
 * @param setsid the {@code setsid} command that makes each replica a process group leader; empty to
 *     start replicas directly
 * @param workDir the working directory of replicas (relative {@code fprocess} paths start here)
 * @param envAllowList names of the gateway's environment variables a replica inherits
 * @param drainDelay how long a replica taken out of the ready set keeps running before SIGTERM, so
 *     that requests routed to it just before finish normally
 * @param limits whether and how replicas are limited through cgroups
 * @param jvmOptions25 options added to {@code jvmOptions} when the replica java is 25 or newer
 * @param aotCache whether replicas on Java 25 or newer start with an AOT cache the backend makes
 */
public record ProcessSettings(
    String java,
    List<String> jvmOptions,
    Path watchdogJar,
    String setsid,
    Path workDir,
    Path dataDir,
    List<String> envAllowList,
    Duration readyTimeout,
    Duration stopTimeout,
    Duration drainDelay,
    int logLines,
    LimitSettings limits,
    List<String> jvmOptions25,
    boolean aotCache) {

  public static final String JAVA = "faas.process.java";
  public static final String JVM_OPTIONS = "faas.process.jvm-options";
  public static final String JVM_OPTIONS_25 = "faas.process.jvm-options-25";
  public static final String AOT_CACHE = "faas.process.aot-cache";
  public static final String WATCHDOG_JAR = "faas.process.watchdog-jar";
  public static final String SETSID = "faas.process.setsid";
  public static final String WORK_DIR = "faas.process.work-dir";
  public static final String DATA_DIR = "faas.data-dir";
  public static final String ENV_ALLOW_LIST = "faas.process.env-allow-list";
  public static final String READY_TIMEOUT = "faas.process.ready-timeout";
  public static final String STOP_TIMEOUT = "faas.process.stop-timeout";
  public static final String DRAIN_DELAY = "faas.process.drain-delay";
  public static final String LOG_LINES = "faas.process.log-lines";
  public static final String CGROUPS = "faas.process.cgroups";
  public static final String MAX_PIDS = "faas.process.max-pids";
  public static final String DEFAULT_MEMORY = "faas.process.default-memory";
  public static final String DEFAULT_CPU = "faas.process.default-cpu";

  /** Settings without replica limits, as tests that do not test limits use. */
  public ProcessSettings(
      String java,
      List<String> jvmOptions,
      Path watchdogJar,
      String setsid,
      Path workDir,
      Path dataDir,
      List<String> envAllowList,
      Duration readyTimeout,
      Duration stopTimeout,
      Duration drainDelay,
      int logLines) {
    this(
        java,
        jvmOptions,
        watchdogJar,
        setsid,
        workDir,
        dataDir,
        envAllowList,
        readyTimeout,
        stopTimeout,
        drainDelay,
        logLines,
        LimitSettings.OFF);
  }

  /** Settings with the same options on every Java and no AOT cache, as tests use. */
  public ProcessSettings(
      String java,
      List<String> jvmOptions,
      Path watchdogJar,
      String setsid,
      Path workDir,
      Path dataDir,
      List<String> envAllowList,
      Duration readyTimeout,
      Duration stopTimeout,
      Duration drainDelay,
      int logLines,
      LimitSettings limits) {
    this(
        java,
        jvmOptions,
        watchdogJar,
        setsid,
        workDir,
        dataDir,
        envAllowList,
        readyTimeout,
        stopTimeout,
        drainDelay,
        logLines,
        limits,
        List.of(),
        false);
  }

  public ProcessSettings {
    jvmOptions = List.copyOf(jvmOptions);
    jvmOptions25 = List.copyOf(jvmOptions25);
    envAllowList = List.copyOf(envAllowList);
    watchdogJar = watchdogJar.toAbsolutePath().normalize();
    workDir = workDir.toAbsolutePath().normalize();
    dataDir = dataDir.toAbsolutePath().normalize();
  }

  public static ProcessSettings from(Config config) {
    String java =
        config
            .getOptionalValue(JAVA, String.class)
            .filter(s -> !s.isBlank())
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return new ProcessSettings(
        java.trim(),
        words(config.getValue(JVM_OPTIONS, String.class)),
        Path.of(config.getValue(WATCHDOG_JAR, String.class).trim()),
        config.getOptionalValue(SETSID, String.class).orElse("").trim(),
        Path.of(config.getValue(WORK_DIR, String.class).trim()),
        Path.of(config.getValue(DATA_DIR, String.class).trim()),
        Arrays.stream(config.getValue(ENV_ALLOW_LIST, String.class).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList(),
        config.getValue(READY_TIMEOUT, Duration.class),
        config.getValue(STOP_TIMEOUT, Duration.class),
        config.getValue(DRAIN_DELAY, Duration.class),
        config.getValue(LOG_LINES, Integer.class),
        new LimitSettings(
            config.getValue(CGROUPS, Boolean.class),
            config.getValue(MAX_PIDS, Long.class),
            config.getOptionalValue(DEFAULT_MEMORY, String.class).orElse(""),
            config.getOptionalValue(DEFAULT_CPU, String.class).orElse("")),
        words(config.getOptionalValue(JVM_OPTIONS_25, String.class).orElse("")),
        config.getValue(AOT_CACHE, Boolean.class));
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  /** The marker on every replica's command line that ties it to this data directory. */
  public String ownerMarker() {
    return "-Dfaas.replica.of=" + dataDir;
  }
}
