package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CgroupSystemTest {

  private static final String V1_MOUNTS =
      """
      31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
      32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
      33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
      35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
      37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
      39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
      40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
      41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
      """;
  private static final String V1_SELF =
      """
      9:name=systemd:/
      8:pids:/
      4:memory:/process_api/abc
      2:cpuacct:/
      1:cpu:/
      0::/
      """;
  private static final String COMOUNTED =
      """
      25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:8 - cgroup cgroup rw,cpu,cpuacct
      26 24 0:23 / /sys/fs/cgroup/pids rw,nosuid shared:9 - cgroup cgroup rw,pids
      """;
  private static final String V2_MOUNTS =
      "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
  private static final String V2_SELF = "0::/user.slice/user-1000.slice/session-2.scope\n";
  private static final Path V2_OWN =
      Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope");

  /** cgroup.controllers of the v2 directory, or unreadable. */
  private static Function<Path, Optional<String>> controllers(String text) {
    return p ->
        p.equals(V2_OWN.resolve("cgroup.controllers"))
            ? Optional.ofNullable(text)
            : Optional.empty();
  }

  record Case(
      String name,
      String mountinfo,
      String self,
      Function<Path, Optional<String>> read,
      CgroupSystem expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case[] cases() {
    Function<Path, Optional<String>> nothing = p -> Optional.empty();
    return new Case[] {
      new Case(
          "v1 with separate mounts and a memory cgroup of its own (this machine)",
          V1_MOUNTS,
          V1_SELF,
          nothing,
          new CgroupSystem(
              CgroupSystem.Version.V1,
              Map.of(
                  "pids", Path.of("/sys/fs/cgroup/pids"),
                  "cpu", Path.of("/sys/fs/cgroup/cpu"),
                  "cpuacct", Path.of("/sys/fs/cgroup/cpuacct"),
                  "memory", Path.of("/sys/fs/cgroup/memory/process_api/abc")))),
      new Case(
          "v1 with cpu and cpuacct mounted together, no memory mount",
          COMOUNTED,
          "5:cpu,cpuacct:/system.slice/x.service\n3:pids:/system.slice/x.service\n",
          nothing,
          new CgroupSystem(
              CgroupSystem.Version.V1,
              Map.of(
                  "pids", Path.of("/sys/fs/cgroup/pids/system.slice/x.service"),
                  "cpu", Path.of("/sys/fs/cgroup/cpu,cpuacct/system.slice/x.service"),
                  "cpuacct", Path.of("/sys/fs/cgroup/cpu,cpuacct/system.slice/x.service")))),
      new Case(
          "v1 in a container whose mount root is its own cgroup",
          "39 31 0:36 /docker/abc /sys/fs/cgroup/pids ro,relatime - cgroup cgroup rw,pids\n",
          "8:pids:/docker/abc\n",
          nothing,
          new CgroupSystem(
              CgroupSystem.Version.V1, Map.of("pids", Path.of("/sys/fs/cgroup/pids")))),
      new Case(
          "v1 pids mount that does not contain the process's cgroup",
          "39 31 0:36 /docker/other /sys/fs/cgroup/pids ro,relatime - cgroup cgroup rw,pids\n",
          "8:pids:/docker/abc\n",
          nothing,
          CgroupSystem.none()),
      new Case(
          "v2 with pids, cpu and memory delegated",
          V2_MOUNTS,
          V2_SELF,
          controllers("cpuset cpu io memory hugetlb pids rdma misc\n"),
          new CgroupSystem(
              CgroupSystem.Version.V2, Map.of("pids", V2_OWN, "cpu", V2_OWN, "memory", V2_OWN))),
      new Case(
          "v2 with only pids",
          V2_MOUNTS,
          V2_SELF,
          controllers("pids\n"),
          new CgroupSystem(CgroupSystem.Version.V2, Map.of("pids", V2_OWN))),
      new Case(
          "v2 without the pids controller",
          V2_MOUNTS,
          V2_SELF,
          controllers("cpu memory\n"),
          CgroupSystem.none()),
      new Case(
          "v2 whose controllers cannot be read",
          V2_MOUNTS,
          V2_SELF,
          controllers(null),
          CgroupSystem.none()),
      new Case(
          "hybrid without v1 pids falls back to an empty unified hierarchy",
          "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
              + "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n",
          "1:cpu:/\n0::/\n",
          p ->
              p.equals(Path.of("/sys/fs/cgroup/unified/cgroup.controllers"))
                  ? Optional.of("hugetlb\n")
                  : Optional.empty(),
          CgroupSystem.none()),
      new Case("no cgroups mounted", "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n", "", nothing, none()),
      new Case("unreadable garbage", "x\n- -\n", "nonsense", nothing, none()),
    };
  }

  private static CgroupSystem none() {
    return CgroupSystem.none();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void detectsTheHierarchyAndTheGatewaysOwnDirectories(Case c) {
    assertEquals(c.expected(), CgroupSystem.detect(c.mountinfo(), c.self(), c.read()));
  }
}
