package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CgroupPlanTest {

  private static final Path FS = Path.of("/sys/fs/cgroup");
  private static final CgroupSystem V1 =
      new CgroupSystem(
          CgroupSystem.Version.V1,
          Map.of(
              "pids", FS.resolve("pids"),
              "cpu", FS.resolve("cpu"),
              "cpuacct", FS.resolve("cpuacct"),
              "memory", FS.resolve("memory/process_api/abc")));
  private static final Path OWN = FS.resolve("system.slice/faas.service");
  private static final CgroupSystem V2 =
      new CgroupSystem(CgroupSystem.Version.V2, Map.of("pids", OWN, "cpu", OWN, "memory", OWN));

  private static Map<Path, String> writes(Object... pathsAndValues) {
    Map<Path, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndValues.length; i += 2) {
      m.put((Path) pathsAndValues[i], (String) pathsAndValues[i + 1]);
    }
    return m;
  }

  @Test
  void v1ReplicaHasADirectoryPerControllerAndAFunctionDirectoryWithThePidsLimit() {
    CgroupPlan plan =
        CgroupPlan.forReplica(V1, "4242-1", "bomb-3", new ReplicaLimits(64, 134217728L, 25000L));
    Path pids = FS.resolve("pids/jakartafaas/4242-1/bomb-3");
    Path cpu = FS.resolve("cpu/jakartafaas/4242-1/bomb-3");
    Path cpuacct = FS.resolve("cpuacct/jakartafaas/4242-1/bomb-3");
    Path memory = FS.resolve("memory/process_api/abc/jakartafaas/4242-1/bomb-3");
    assertEquals(List.of(pids, pids.resolve("function"), cpu, cpuacct, memory), plan.directories());
    assertEquals(
        writes(
            pids.resolve("pids.max"), "1088",
            pids.resolve("function/pids.max"), "64",
            cpu.resolve("cpu.cfs_period_us"), "100000",
            cpu.resolve("cpu.cfs_quota_us"), "25000",
            memory.resolve("memory.limit_in_bytes"), "134217728"),
        plan.writes());
    assertEquals(
        List.of(
            pids.resolve("cgroup.procs"),
            cpu.resolve("cgroup.procs"),
            cpuacct.resolve("cgroup.procs"),
            memory.resolve("cgroup.procs")),
        plan.watchdogJoins());
    assertEquals(pids.resolve("function/cgroup.procs"), plan.functionProcs());
    assertEquals(pids.resolve("function"), plan.pidsDirectory());
    assertEquals(
        List.of(memory, cpuacct, cpu, pids.resolve("function"), pids), plan.removalOrder());
  }

  @Test
  void v1ReplicaWithoutMemoryOrCpuLimitsWritesOnlyThePidsLimitsOfFunctionAndReplica() {
    CgroupPlan plan = CgroupPlan.forReplica(V1, "1-1", "cat-1", new ReplicaLimits(256, null, null));
    Path replica = FS.resolve("pids/jakartafaas/1-1/cat-1");
    assertEquals(
        writes(replica.resolve("pids.max"), "1280", replica.resolve("function/pids.max"), "256"),
        plan.writes());
  }

  @Test
  void v1WithCpuAndCpuacctMountedTogetherCreatesThatDirectoryOnce() {
    Path both = FS.resolve("cpu,cpuacct");
    CgroupSystem s =
        new CgroupSystem(
            CgroupSystem.Version.V1,
            Map.of("pids", FS.resolve("pids"), "cpu", both, "cpuacct", both));
    CgroupPlan plan = CgroupPlan.forReplica(s, "1-1", "f-1", new ReplicaLimits(8, null, 50000L));
    Path cpu = both.resolve("jakartafaas/1-1/f-1");
    assertEquals(
        List.of(
            FS.resolve("pids/jakartafaas/1-1/f-1"),
            FS.resolve("pids/jakartafaas/1-1/f-1/function"),
            cpu),
        plan.directories());
    assertEquals("50000", plan.writes().get(cpu.resolve("cpu.cfs_quota_us")));
  }

  @Test
  void v2ReplicaHasTwoLeavesWithLimitsOnTheirParent() {
    CgroupPlan plan =
        CgroupPlan.forReplica(V2, "7-2", "busy-1", new ReplicaLimits(32, 67108864L, 25000L));
    Path base = OWN.resolve("jakartafaas/7-2/busy-1");
    assertEquals(
        List.of(base, base.resolve("watchdog"), base.resolve("function")), plan.directories());
    assertEquals(
        writes(
            base.resolve("cgroup.subtree_control"), "+pids +cpu +memory",
            base.resolve("pids.max"), "1056",
            base.resolve("memory.max"), "67108864",
            base.resolve("cpu.max"), "25000 100000",
            base.resolve("function/pids.max"), "32"),
        plan.writes());
    assertEquals(List.of(base.resolve("watchdog/cgroup.procs")), plan.watchdogJoins());
    assertEquals(base.resolve("function/cgroup.procs"), plan.functionProcs());
  }

  @Test
  void v2GatewayPassesTheControllersDownFromItsOwnCgroup() {
    CgroupSystem pidsOnly = new CgroupSystem(CgroupSystem.Version.V2, Map.of("pids", OWN));
    CgroupPlan plan = CgroupPlan.forGateway(pidsOnly, "7-2");
    Path platform = OWN.resolve("jakartafaas");
    assertEquals(List.of(platform, platform.resolve("7-2")), plan.directories());
    assertEquals(
        writes(
            OWN.resolve("cgroup.subtree_control"), "+pids",
            platform.resolve("cgroup.subtree_control"), "+pids",
            platform.resolve("7-2/cgroup.subtree_control"), "+pids"),
        plan.writes());
  }

  @Test
  void v1GatewayDirectoriesArePerController() {
    CgroupPlan plan = CgroupPlan.forGateway(V1, "9-1");
    assertEquals(8, plan.directories().size());
    assertEquals(Map.of(), plan.writes());
    assertEquals(FS.resolve("pids/jakartafaas/9-1"), plan.directories().get(1));
  }

  @Test
  void withoutCgroupsThereIsNothingToDo() {
    CgroupPlan plan =
        CgroupPlan.forReplica(CgroupSystem.none(), "1-1", "f-1", new ReplicaLimits(8, 1L, 1000L));
    assertEquals(List.of(), plan.directories());
    assertNull(plan.pidsDirectory());
    assertNull(plan.functionProcs());
  }
}
