package dev.jakartafaas.backend.process.control;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Where this process's own cgroups are, per controller the backend uses ({@code pids}, {@code cpu},
 * {@code cpuacct}, {@code memory}), decided from the text of {@code /proc/self/mountinfo} and
 * {@code /proc/self/cgroup}. Replicas' cgroups are created below these, so they stay inside any
 * limit put on the gateway itself.
 *
 * @param version which hierarchy the directories belong to
 * @param directories the gateway's own cgroup directory for each usable controller; under cgroup v2
 *     every controller maps to the same directory
 */
public record CgroupSystem(Version version, Map<String, Path> directories) {

  /** The controllers the backend sets limits with or reads figures from. */
  public static final List<String> CONTROLLERS = List.of("pids", "cpu", "cpuacct", "memory");

  /** The cgroup hierarchy in use. */
  public enum Version {
    V1,
    V2,
    NONE
  }

  public CgroupSystem {
    directories = Map.copyOf(directories);
  }

  public static CgroupSystem none() {
    return new CgroupSystem(Version.NONE, Map.of());
  }

  public boolean has(String controller) {
    return directories.containsKey(controller);
  }

  /**
   * Chooses the hierarchy: cgroup v1 when it has the {@code pids} controller mounted (hybrid
   * systems keep their controllers there), otherwise cgroup v2 with the controllers its {@code
   * cgroup.controllers} file lists, otherwise none.
   *
   * @param mountinfo the text of {@code /proc/self/mountinfo}
   * @param selfCgroup the text of {@code /proc/self/cgroup}
   * @param read reads a small file (used for v2's {@code cgroup.controllers}); empty if unreadable
   */
  public static CgroupSystem detect(
      String mountinfo, String selfCgroup, Function<Path, Optional<String>> read) {
    Map<String, String> ownV1 = new HashMap<>();
    String ownV2 = null;
    for (String line : selfCgroup.split("\n")) {
      // hierarchy-id:controller-list:path
      String[] parts = line.split(":", 3);
      if (parts.length < 3) {
        continue;
      }
      if (parts[0].equals("0") && parts[1].isEmpty()) {
        ownV2 = parts[2].trim();
      } else {
        for (String controller : parts[1].split(",")) {
          ownV1.put(controller, parts[2].trim());
        }
      }
    }
    Map<String, Path> v1 = new LinkedHashMap<>();
    Mount v2 = null;
    for (String line : mountinfo.split("\n")) {
      Mount m = Mount.parse(line);
      if (m == null) {
        continue;
      }
      if (m.type.equals("cgroup")) {
        for (String option : m.superOptions.split(",")) {
          if (CONTROLLERS.contains(option) && ownV1.containsKey(option)) {
            relative(m.root, ownV1.get(option))
                .ifPresent(rel -> v1.putIfAbsent(option, resolve(m.mountPoint, rel)));
          }
        }
      } else if (m.type.equals("cgroup2") && v2 == null) {
        v2 = m;
      }
    }
    if (v1.containsKey("pids")) {
      return new CgroupSystem(Version.V1, v1);
    }
    return v2 == null || ownV2 == null ? none() : v2(v2, ownV2, read);
  }

  /** The unified hierarchy, when the gateway's own cgroup there offers the pids controller. */
  private static CgroupSystem v2(Mount mount, String own, Function<Path, Optional<String>> read) {
    Optional<String> rel = relative(mount.root, own);
    if (rel.isEmpty()) {
      return none();
    }
    Path dir = resolve(mount.mountPoint, rel.get());
    Set<String> available =
        Set.of(read.apply(dir.resolve("cgroup.controllers")).orElse("").trim().split("\\s+"));
    if (!available.contains("pids")) {
      return none();
    }
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (String c : CONTROLLERS) {
      // v2 has no cpuacct: the cpu controller's cpu.stat gives the usage
      if (available.contains(c)) {
        dirs.put(c, dir);
      }
    }
    return new CgroupSystem(Version.V2, dirs);
  }

  /** The path of {@code own} below a mount whose root is {@code root}; empty if outside it. */
  private static Optional<String> relative(String root, String own) {
    if (root.equals("/")) {
      return Optional.of(own);
    }
    if (own.equals(root)) {
      return Optional.of("/");
    }
    if (own.startsWith(root + "/")) {
      return Optional.of(own.substring(root.length()));
    }
    return Optional.empty();
  }

  private static Path resolve(Path mountPoint, String relative) {
    String rel = relative.replaceAll("^/+", "");
    return rel.isEmpty() ? mountPoint : mountPoint.resolve(rel);
  }

  /** One line of {@code /proc/self/mountinfo}: the fields this class needs. */
  private record Mount(String root, Path mountPoint, String type, String superOptions) {

    static Mount parse(String line) {
      // id parent major:minor root mount-point options [optional fields...] - type source super
      String[] fields = line.trim().split(" ");
      int dash = List.of(fields).indexOf("-");
      if (fields.length < 6 || dash < 6 || fields.length < dash + 4) {
        return null;
      }
      return new Mount(
          unescape(fields[3]), Path.of(unescape(fields[4])), fields[dash + 1], fields[dash + 3]);
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    private static String unescape(String s) {
      return s.replace("\\040", " ")
          .replace("\\011", "\t")
          .replace("\\012", "\n")
          .replace("\\134", "\\");
    }
  }
}
