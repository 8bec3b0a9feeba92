package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The adapter against a temporary directory standing in for {@code /sys/fs/cgroup}. */
class ReplicaCgroupsTest {

  @TempDir Path fs;

  private CgroupSystem v1() {
    return new CgroupSystem(
        CgroupSystem.Version.V1,
        Map.of("pids", fs.resolve("pids"), "memory", fs.resolve("memory/own")));
  }

  @Test
  void opensTheGatewaysDirectoriesAndWritesTheJoinScript() throws Exception {
    Files.createDirectories(fs.resolve("pids"));
    Files.createDirectories(fs.resolve("memory/own"));
    ReplicaCgroups c = ReplicaCgroups.open(v1(), fs.resolve("data"), "77-1");
    assertTrue(c.enabled(), c.status());
    assertTrue(Files.isDirectory(fs.resolve("pids/jakartafaas/77-1")));
    assertTrue(Files.isDirectory(fs.resolve("memory/own/jakartafaas/77-1")));
    Path script = fs.resolve("data/cgroup-join.sh");
    assertEquals(ReplicaCgroups.JOIN_SCRIPT, Files.readString(script));
    assertTrue(Files.isExecutable(script));
    CgroupPlan plan = c.plan("f-1", new ReplicaLimits(16, 1048576L, null)).orElseThrow();
    c.create(plan);
    assertEquals("16", Files.readString(fs.resolve("pids/jakartafaas/77-1/f-1/function/pids.max")));
    assertEquals(
        "1048576",
        Files.readString(fs.resolve("memory/own/jakartafaas/77-1/f-1/memory.limit_in_bytes")));
    assertEquals("1040", Files.readString(fs.resolve("pids/jakartafaas/77-1/f-1/pids.max")));
    assertEquals(
        fs.resolve("pids/jakartafaas/77-1/f-1/function/cgroup.procs"), plan.functionProcs());
    assertEquals(
        List.of(
            "/bin/sh",
            script.toString(),
            fs.resolve("pids/jakartafaas/77-1/f-1/cgroup.procs") + "",
            fs.resolve("memory/own/jakartafaas/77-1/f-1/cgroup.procs") + "",
            "--"),
        c.joinPrefix(plan.watchdogJoins(), "/bin/sh"));
  }

  @Test
  void removesTheDirectoriesOfAGatewayThatIsGoneButNotThoseOfALiveOne() throws Exception {
    long self = ProcessHandle.current().pid();
    Path dead = fs.resolve("pids/jakartafaas/" + Integer.MAX_VALUE + "-1/f-1/function");
    Path alive = fs.resolve("pids/jakartafaas/" + self + "-1/f-1/function");
    Files.createDirectories(dead);
    Files.createDirectories(alive);
    ReplicaCgroups.open(v1(), fs.resolve("data"), self + "-2");
    assertFalse(Files.exists(fs.resolve("pids/jakartafaas/" + Integer.MAX_VALUE + "-1")));
    assertTrue(Files.isDirectory(alive));
  }

  @Test
  void isDisabledWithAReasonWhenTheDirectoriesCannotBeCreated() throws Exception {
    Files.writeString(fs.resolve("pids"), "a file, not a directory");
    ReplicaCgroups c = ReplicaCgroups.open(v1(), fs.resolve("data"), "77-1");
    assertFalse(c.enabled());
    assertTrue(c.status().startsWith("not enforced"), c.status());
    assertTrue(c.plan("f-1", new ReplicaLimits(1, null, null)).isEmpty());
    assertEquals(List.of(), c.joinPrefix(List.of(fs.resolve("x")), null));
  }

  @Test
  void worksWithWhiteSpaceInTheDataDirectorySinceNothingIsSplitOnSpaces() throws Exception {
    ReplicaCgroups c = ReplicaCgroups.open(v1(), fs.resolve("data dir"), "77-1");
    assertTrue(c.enabled(), c.status());
    assertTrue(Files.isExecutable(fs.resolve("data dir/cgroup-join.sh")));
  }

  @Test
  void isDisabledWithoutAHierarchy() {
    ReplicaCgroups c = ReplicaCgroups.open(CgroupSystem.none(), fs.resolve("data"), "1-1");
    assertFalse(c.enabled());
    assertTrue(c.status().contains("pids"), c.status());
  }

  @ParameterizedTest
  @CsvSource({
    "2147483646-1, true",
    "1-1, false",
    "abc, false",
    "'', false",
    "99999999999-1, false",
  })
  void aGatewayDirectoryIsStaleOnlyWhenItsProcessIsGone(String name, boolean stale) {
    assertEquals(stale, ReplicaCgroups.isStale(name));
  }

  @Test
  void theDirectoryOfThisProcessIsNotStale() {
    assertFalse(ReplicaCgroups.isStale(ProcessHandle.current().pid() + "-3"));
  }
}
