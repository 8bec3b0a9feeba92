package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.functions.entity.FunctionDeployment;

/**
 * How the process backend limits replicas: part of its {@link ProcessSettings}.
 *
 * @param cgroups whether to use cgroups at all (when writable); false runs replicas without limits
 * @param maxPids {@code pids.max} for each replica's function processes (threads count too)
 * @param defaultMemory memory limit of a replica whose deployment gives none ({@code 256m}); blank
 *     for none
 * @param defaultCpu CPU limit of a replica whose deployment gives none ({@code 0.5}); blank for
 *     none
 */
public record LimitSettings(
    boolean cgroups, long maxPids, String defaultMemory, String defaultCpu) {

  /** No cgroups: what tests that do not test limits use. */
  public static final LimitSettings OFF = new LimitSettings(false, 1, "", "");

  /**
   * The limits of a deployment's replicas: its own where it gives them, these defaults where not.
   *
   * @throws dev.jakartafaas.problems.entity.InvalidInputException on a malformed figure
   */
  public ReplicaLimits of(FunctionDeployment d) {
    return ReplicaLimits.of(d, Math.max(1, maxPids), defaultMemory, defaultCpu);
  }

  public LimitSettings {
    defaultMemory = defaultMemory == null ? "" : defaultMemory.trim();
    defaultCpu = defaultCpu == null ? "" : defaultCpu.trim();
  }
}
