package dev.jakartafaas.backend.process.control;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The process backend's configuration, read once from MicroProfile Config by the boundary (or
 * written directly by tests).
 *
 * @param java the {@code java} executable that runs the watchdog
 * @param jvmOptions options for each replica's JVM
 * @param setsid the {@code setsid} command that makes each replica a process group leader; empty to
 *     start replicas directly
 * @param workDir the working directory of replicas (relative {@code fprocess} paths start here)
 * @param envAllowList names of the gateway's environment variables a replica inherits
 * @param drainDelay how long a replica taken out of the ready set keeps running before SIGTERM, so
 *     that requests routed to it just before finish normally
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
    int logLines) {

  public ProcessSettings {
    jvmOptions = List.copyOf(jvmOptions);
    envAllowList = List.copyOf(envAllowList);
    watchdogJar = watchdogJar.toAbsolutePath().normalize();
    workDir = workDir.toAbsolutePath().normalize();
    dataDir = dataDir.toAbsolutePath().normalize();
  }

  /** The marker on every replica's command line that ties it to this data directory. */
  public String ownerMarker() {
    return "-Dfaas.replica.of=" + dataDir;
  }
}
