package dev.jakartafaas.backend.process.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The one adapter to the cgroup file system: creates each replica's cgroups with its limits, kills
 * every process in them when the replica ends and removes them, and cleans what a gateway that died
 * left behind. Where cgroups are not writable it does nothing and says so once.
 */
public final class ReplicaCgroups {

  private static final Logger LOG = Logger.getLogger(ReplicaCgroups.class.getName());
  private static final AtomicInteger OPENED = new AtomicInteger();

  /** How long {@link #release} keeps killing and retrying the removal. */
  private static final long RELEASE_NANOS = 5_000_000_000L;

  /** Joins the cgroups named before {@code --}, then runs the command after it. */
  static final String JOIN_SCRIPT =
      """
      #!/bin/sh
      # Jakarta FaaS: moves this process into the cgroups whose cgroup.procs files are named
      # before "--", then runs the command after it (written by the process backend).
      while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
        echo $$ > "$1" || { echo "faas: cannot join the cgroup $1" >&2; exit 125; }
        shift
      done
      shift
      exec "$@"
      """;

  private final CgroupSystem system;
  private final String gateway;
  private final Path joinScript;
  private final String status;

  private ReplicaCgroups(CgroupSystem system, String gateway, Path joinScript, String status) {
    this.system = system;
    this.gateway = gateway;
    this.joinScript = joinScript;
    this.status = status;
  }

  /** No cgroups: replicas run without process, CPU and memory limits. */
  public static ReplicaCgroups disabled(String why) {
    return new ReplicaCgroups(CgroupSystem.none(), "", null, why);
  }

  /**
   * Detects the hierarchy, creates the gateway's directories and the join script, and cleans the
   * directories of gateways that are gone. Falls back to {@link #disabled} (with one warning) when
   * any of it fails.
   *
   * @param scriptDir where the join script is written (the data directory)
   */
  public static ReplicaCgroups open(Path scriptDir) {
    CgroupSystem system;
    try {
      system =
          CgroupSystem.detect(
              Files.readString(Path.of("/proc/self/mountinfo")),
              Files.readString(Path.of("/proc/self/cgroup")),
              ReplicaCgroups::read);
    } catch (IOException e) {
      return warn("cannot read /proc/self/mountinfo or /proc/self/cgroup: " + e.getMessage());
    }
    return open(system, scriptDir, ProcessHandle.current().pid() + "-" + OPENED.incrementAndGet());
  }

  static ReplicaCgroups open(CgroupSystem system, Path scriptDir, String gateway) {
    if (system.version() == CgroupSystem.Version.NONE) {
      return warn("no cgroup hierarchy with the pids controller is mounted");
    }
    for (Path own : system.directories().values()) {
      cleanStale(own.resolve(CgroupPlan.PLATFORM));
    }
    CgroupPlan plan = CgroupPlan.forGateway(system, gateway);
    Path script = scriptDir.resolve("cgroup-join.sh");
    try {
      apply(plan);
      Files.createDirectories(scriptDir);
      Files.writeString(script, JOIN_SCRIPT, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException | RuntimeException e) {
      removeAll(plan.removalOrder());
      return warn(
          "cannot create "
              + plan.directories().stream().findFirst().map(Path::toString).orElse("cgroups")
              + " ("
              + e.getMessage()
              + "); run the gateway as root, or delegate a cgroup v2 subtree to its user");
    }
    String text =
        "cgroup "
            + (system.version() == CgroupSystem.Version.V1 ? "v1" : "v2")
            + " "
            + String.join(",", system.directories().keySet().stream().sorted().toList());
    LOG.info(() -> "process backend: replica limits enforced through " + text);
    return new ReplicaCgroups(system, gateway, script, "enforced through " + text);
  }

  private static ReplicaCgroups warn(String why) {
    LOG.warning(
        "process backend: process-count, CPU and memory limits are NOT enforced: "
            + why
            + " (faas.process.cgroups)");
    return disabled("not enforced: " + why);
  }

  public boolean enabled() {
    return system.version() != CgroupSystem.Version.NONE;
  }

  /** For logs and diagnostics: how limits are enforced, or why not. */
  public String status() {
    return status;
  }

  /** The replica's plan, for the command lines; its directories do not exist yet. */
  public Optional<CgroupPlan> plan(String instance, ReplicaLimits limits) {
    if (!enabled()) {
      return Optional.empty();
    }
    return Optional.of(CgroupPlan.forReplica(system, gateway, instance, limits));
  }

  /** The command prefix that starts a process in the given cgroups, or nothing if none. */
  public List<String> joinPrefix(List<Path> procsFiles, String shell) {
    if (!enabled() || procsFiles.isEmpty()) {
      return List.of();
    }
    List<String> prefix = new ArrayList<>();
    if (shell != null) {
      prefix.add(shell);
    }
    prefix.add(joinScript.toString());
    for (Path p : procsFiles) {
      prefix.add(p.toString());
    }
    prefix.add("--");
    return prefix;
  }

  /** Creates the replica's directories and writes its limits. */
  public void create(CgroupPlan plan) throws IOException {
    try {
      apply(plan);
    } catch (IOException | RuntimeException e) {
      release(plan);
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  /**
   * Kills every process in the replica's cgroups (repeatedly, so a process forking meanwhile is
   * caught too) and removes the directories.
   *
   * @return true if every directory is gone
   */
  public boolean release(CgroupPlan plan) {
    long deadline = System.nanoTime() + RELEASE_NANOS;
    while (true) {
      boolean any = killMembers(plan.memberLists());
      if (!any && removeAll(plan.removalOrder())) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        LOG.warning(() -> "cannot remove the cgroups " + plan.directories() + " in time");
        return false;
      }
      pause();
    }
  }

  /** Removes the gateway's own directories (their replicas are released before). */
  public void close() {
    if (enabled()) {
      CgroupPlan plan = CgroupPlan.forGateway(system, gateway);
      for (Path dir : plan.directories()) {
        if (dir.getFileName().toString().equals(gateway)) {
          removeTree(dir);
        }
      }
      for (Path dir : plan.removalOrder()) {
        if (dir.getFileName().toString().equals(CgroupPlan.PLATFORM)) {
          removeQuietly(dir);
        }
      }
    }
  }

  /** A number from a cgroup file such as {@code pids.current}, if readable. */
  public static OptionalLong number(Path file) {
    return read(file).map(String::trim).filter(s -> s.matches("\\d+")).stream()
        .mapToLong(Long::parseLong)
        .findFirst();
  }

  private static void apply(CgroupPlan plan) throws IOException {
    for (Path dir : plan.directories()) {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
      }
    }
    for (var w : plan.writes().entrySet()) {
      Files.writeString(w.getKey(), w.getValue());
    }
  }

  /** Kills the stale gateways' replicas and removes their directories. */
  private static void cleanStale(Path platform) {
    if (!Files.isDirectory(platform)) {
      return;
    }
    try (DirectoryStream<Path> gateways = Files.newDirectoryStream(platform)) {
      for (Path g : gateways) {
        if (Files.isDirectory(g) && isStale(g.getFileName().toString())) {
          LOG.info(() -> "removing the cgroups of a gateway that is gone: " + g);
          removeTree(g);
        }
      }
    } catch (IOException e) {
      // not ours to read
    }
  }

  /** A gateway's directory is named {@code <pid>-<n>}: stale when that process is gone. */
  static boolean isStale(String name) {
    int dash = name.indexOf('-');
    String pid = dash < 0 ? name : name.substring(0, dash);
    if (!pid.matches("\\d{1,10}")) {
      return false;
    }
    return ProcessHandle.of(Long.parseLong(pid)).isEmpty();
  }

  /** Kills the processes in a whole directory tree, then removes it, children first. */
  private static void removeTree(Path top) {
    long deadline = System.nanoTime() + RELEASE_NANOS;
    while (true) {
      if (!Files.exists(top)) {
        return;
      }
      List<Path> dirs = null;
      try (Stream<Path> walk = Files.walk(top)) {
        dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
      } catch (IOException | RuntimeException e) {
        // a replica's directory removed meanwhile (its release ran): walk again
      }
      if (dirs != null) {
        boolean any = killMembers(dirs.stream().map(d -> d.resolve(CgroupPlan.PROCS)).toList());
        if (!any && removeAll(dirs)) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        LOG.warning(() -> "cannot remove " + top + " in time");
        return;
      }
      pause();
    }
  }

  /** SIGKILL to every process listed; true if there was any. */
  private static boolean killMembers(List<Path> procsFiles) {
    boolean any = false;
    for (Path procs : procsFiles) {
      for (String line : read(procs).orElse("").split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        any = true;
        long pid = Long.parseLong(line.trim());
        if (pid != ProcessHandle.current().pid()) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
    return any;
  }

  private static boolean removeAll(List<Path> dirs) {
    boolean all = true;
    for (Path d : dirs) {
      all &= removeQuietly(d);
    }
    return all;
  }

  private static boolean removeQuietly(Path dir) {
    try {
      Files.deleteIfExists(dir);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
