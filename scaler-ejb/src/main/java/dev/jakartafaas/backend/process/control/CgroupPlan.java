package dev.jakartafaas.backend.process.control;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cgroup directories and files of one replica, computed without touching them: {@code
 * <own>/jakartafaas/<gateway>/<instance>} per controller, memory and CPU limits on that directory
 * (the whole replica), and {@code pids.max} on a {@code function} directory below it that only the
 * function's processes join, so the watchdog's threads never compete with a fork bomb for a slot.
 * The replica's own pids directory gets a backstop {@code pids.max} ({@link
 * ReplicaLimits#replicaPidsMax}): on cgroup v2 a function process is in the watchdog's cgroup from
 * its start until the watchdog has written its pid into the function's, and whatever it forks in
 * that window stays there (on v1 the watchdog starts it in the function's cgroup).
 *
 * @param directories to create, parents first (removed in the reverse order)
 * @param writes files and the values to write into them, in order
 * @param watchdogJoins {@code cgroup.procs} files the watchdog process joins before it starts
 * @param functionProcs the {@code cgroup.procs} file the watchdog moves each function process into
 *     ({@code cgroup_procs}), or null
 * @param pidsDirectory the directory whose {@code pids.max}/{@code pids.current} bound the function
 */
public record CgroupPlan(
    List<Path> directories,
    Map<Path, String> writes,
    List<Path> watchdogJoins,
    Path functionProcs,
    Path pidsDirectory) {

  /** The platform's directory below the gateway's own cgroup. */
  public static final String PLATFORM = "jakartafaas";

  static final String PROCS = "cgroup.procs";
  static final String SUBTREE_CONTROL = "cgroup.subtree_control";
  static final String FUNCTION = "function";
  static final String WATCHDOG = "watchdog";

  public CgroupPlan {
    directories = List.copyOf(directories);
    writes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(writes));
    watchdogJoins = List.copyOf(watchdogJoins);
  }

  /** The directories to remove, children first. */
  public List<Path> removalOrder() {
    List<Path> order = new ArrayList<>(directories);
    java.util.Collections.reverse(order);
    return order;
  }

  /**
   * The {@code cgroup.procs} files of every directory: the replica's processes are listed there.
   */
  public List<Path> memberLists() {
    return removalOrder().stream().map(d -> d.resolve(PROCS)).toList();
  }

  /**
   * The gateway's directory for each distinct controller directory, and for v2 the {@code
   * cgroup.subtree_control} writes that pass the controllers down to it.
   */
  public static CgroupPlan forGateway(CgroupSystem system, String gateway) {
    List<Path> dirs = new ArrayList<>();
    Map<Path, String> writes = new LinkedHashMap<>();
    for (Path own : distinct(system)) {
      Path platform = own.resolve(PLATFORM);
      Path mine = platform.resolve(gateway);
      if (system.version() == CgroupSystem.Version.V2) {
        String enable = enable(system);
        writes.put(own.resolve(SUBTREE_CONTROL), enable);
        dirs.add(platform);
        writes.put(platform.resolve(SUBTREE_CONTROL), enable);
        dirs.add(mine);
        writes.put(mine.resolve(SUBTREE_CONTROL), enable);
      } else {
        dirs.add(platform);
        dirs.add(mine);
      }
    }
    return new CgroupPlan(dirs, writes, List.of(), null, null);
  }

  /** The directories, limit files and joins of one replica. */
  public static CgroupPlan forReplica(
      CgroupSystem system, String gateway, String instance, ReplicaLimits limits) {
    List<Path> dirs = new ArrayList<>();
    Map<Path, String> writes = new LinkedHashMap<>();
    List<Path> watchdogJoins = new ArrayList<>();
    Path functionProcs = null;
    Path pids = null;
    if (system.version() == CgroupSystem.Version.V1) {
      for (Path own : distinct(system)) {
        Path base = own.resolve(PLATFORM).resolve(gateway).resolve(instance);
        dirs.add(base);
        watchdogJoins.add(base.resolve(PROCS));
        if (own.equals(system.directories().get("memory")) && limits.memoryBytes() != null) {
          writes.put(base.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
        }
        if (own.equals(system.directories().get("cpu")) && limits.cpuQuotaMicros() != null) {
          writes.put(
              base.resolve("cpu.cfs_period_us"), Long.toString(ReplicaLimits.CPU_PERIOD_MICROS));
          writes.put(base.resolve("cpu.cfs_quota_us"), Long.toString(limits.cpuQuotaMicros()));
        }
        if (own.equals(system.directories().get("pids"))) {
          writes.put(base.resolve("pids.max"), limits.replicaPidsMax());
          pids = base.resolve(FUNCTION);
          dirs.add(pids);
          writes.put(pids.resolve("pids.max"), limits.pidsMax());
          functionProcs = pids.resolve(PROCS);
        }
      }
    } else if (system.version() == CgroupSystem.Version.V2) {
      Path base =
          system.directories().get("pids").resolve(PLATFORM).resolve(gateway).resolve(instance);
      dirs.add(base);
      writes.put(base.resolve(SUBTREE_CONTROL), enable(system));
      writes.put(base.resolve("pids.max"), limits.replicaPidsMax());
      if (system.has("memory") && limits.memoryBytes() != null) {
        writes.put(base.resolve("memory.max"), Long.toString(limits.memoryBytes()));
      }
      if (system.has("cpu") && limits.cpuQuotaMicros() != null) {
        writes.put(
            base.resolve("cpu.max"),
            limits.cpuQuotaMicros() + " " + ReplicaLimits.CPU_PERIOD_MICROS);
      }
      // v2 allows processes only in leaves once controllers are enabled: two leaves
      Path watchdog = base.resolve(WATCHDOG);
      pids = base.resolve(FUNCTION);
      dirs.add(watchdog);
      dirs.add(pids);
      writes.put(pids.resolve("pids.max"), limits.pidsMax());
      watchdogJoins.add(watchdog.resolve(PROCS));
      functionProcs = pids.resolve(PROCS);
    }
    return new CgroupPlan(dirs, writes, watchdogJoins, functionProcs, pids);
  }

  /** The controller directories, each once (co-mounted v1 controllers share one). */
  private static Set<Path> distinct(CgroupSystem system) {
    Set<Path> dirs = new LinkedHashSet<>();
    for (String c : CgroupSystem.CONTROLLERS) {
      Path d = system.directories().get(c);
      if (d != null) {
        dirs.add(d);
      }
    }
    return dirs;
  }

  private static String enable(CgroupSystem system) {
    List<String> names = new ArrayList<>();
    for (String c : List.of("pids", "cpu", "memory")) {
      if (system.has(c)) {
        names.add("+" + c);
      }
    }
    return String.join(" ", names);
  }
}
