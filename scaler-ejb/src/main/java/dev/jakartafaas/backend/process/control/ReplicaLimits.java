package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.backend.swarm.control.Quantities;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.Resources;

/**
 * The limits of one replica and how they are written into cgroup files. The process count limits
 * only the function's processes (the watchdog's own threads do not count); memory and CPU limit the
 * whole replica, watchdog included, as a container limit does on Docker Swarm.
 *
 * @param maxPids the most processes and threads the function's processes may have at once
 * @param memoryBytes the replica's memory limit, or null for none
 * @param cpuQuotaMicros CPU time the replica may use per {@link #CPU_PERIOD_MICROS}, or null for
 *     none
 */
public record ReplicaLimits(long maxPids, Long memoryBytes, Long cpuQuotaMicros) {

  /** The CFS period: 100 ms, as Docker uses. */
  public static final long CPU_PERIOD_MICROS = 100_000;

  /**
   * What the replica's own pids cgroup allows beyond the function's {@code maxPids}: the watchdog
   * JVM's threads (about 20 idle, one more per open connection) and processes that are between
   * their start and their move into the function's cgroup. The sum is a backstop for what a
   * function forks in that window; it must stay far above what the watchdog needs, since a JVM that
   * cannot create a thread stops serving.
   */
  static final long WATCHDOG_PIDS = 1024;

  /** The kernel refuses quotas below 1 ms. */
  static final long MIN_CPU_QUOTA_MICROS = 1_000;

  public ReplicaLimits {
    if (maxPids < 1) {
      throw new IllegalArgumentException("the process limit must be at least 1, not " + maxPids);
    }
  }

  /**
   * A deployment's {@code limits} where it gives them, the defaults where not.
   *
   * @param defaultMemory the memory figure for deployments without one ({@code 256m}); blank for
   *     none
   * @param defaultCpu the CPU figure for deployments without one ({@code 0.5}); blank for none
   * @throws dev.jakartafaas.problems.entity.InvalidInputException if a figure is malformed
   */
  public static ReplicaLimits of(
      FunctionDeployment deployment, long maxPids, String defaultMemory, String defaultCpu) {
    Resources limits = deployment.limits();
    String memory = limits == null || isBlank(limits.memory()) ? defaultMemory : limits.memory();
    String cpu = limits == null || isBlank(limits.cpu()) ? defaultCpu : limits.cpu();
    Long bytes = Quantities.memoryBytes(memory);
    Long nanoCpus = Quantities.nanoCpus(cpu);
    Long quota = null;
    if (nanoCpus != null) {
      // nanoCPUs * period / 1e9, at least the kernel's minimum
      quota = Math.max(MIN_CPU_QUOTA_MICROS, nanoCpus * CPU_PERIOD_MICROS / 1_000_000_000L);
    }
    return new ReplicaLimits(maxPids, bytes, quota);
  }

  /** The value of {@code pids.max} for the function's directory (the same file in v1 and v2). */
  public String pidsMax() {
    return Long.toString(maxPids);
  }

  /**
   * The value of {@code pids.max} for the whole replica: the function's limit plus {@link
   * #WATCHDOG_PIDS}.
   */
  public String replicaPidsMax() {
    return Long.toString(maxPids + WATCHDOG_PIDS);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
