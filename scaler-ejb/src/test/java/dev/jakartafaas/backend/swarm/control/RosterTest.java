package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jakartafaas.backend.swarm.entity.SwarmTask;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RosterTest {

  private static SwarmTask task(String id, int slot, String desired, String state, String ip) {
    return new SwarmTask(id, "svc", slot, desired, state, ip);
  }

  private static List<String> ids(List<SwarmTask> tasks) {
    return tasks.stream().map(SwarmTask::id).toList();
  }

  @Test
  void newRunningTaskIsProbedBeforeItGetsTraffic() {
    Roster.Plan p = Roster.plan(Set.of(), List.of(task("a", 1, "running", "running", "10.0.0.2")));
    assertEquals(List.of(), ids(p.keep()));
    assertEquals(List.of("a"), ids(p.probe()));
    assertEquals(Set.of(), p.dropped());
  }

  @Test
  void readyTaskStaysReadyWithoutProbe() {
    Roster.Plan p =
        Roster.plan(Set.of("a"), List.of(task("a", 1, "running", "running", "10.0.0.2")));
    assertEquals(List.of("a"), ids(p.keep()));
    assertEquals(List.of(), ids(p.probe()));
  }

  @Test
  void taskSwarmIsShuttingDownLosesTrafficAtOnce() {
    Roster.Plan p =
        Roster.plan(Set.of("a"), List.of(task("a", 1, "shutdown", "running", "10.0.0.2")));
    assertEquals(List.of(), ids(p.keep()));
    assertEquals(Set.of("a"), p.dropped());
  }

  @Test
  void taskMissingFromTheListIsDropped() {
    assertEquals(Set.of("gone"), Roster.plan(Set.of("gone"), List.of()).dropped());
  }

  @Test
  void failedTaskIsDropped() {
    Roster.Plan p =
        Roster.plan(Set.of("a"), List.of(task("a", 1, "running", "failed", "10.0.0.2")));
    assertEquals(Set.of("a"), p.dropped());
  }

  @Test
  void startingTaskOrOneWithoutAddressIsNotProbed() {
    Roster.Plan p =
        Roster.plan(
            Set.of(),
            List.of(
                task("a", 1, "running", "starting", "10.0.0.2"),
                task("b", 2, "running", "running", "")));
    assertEquals(List.of(), ids(p.probe()));
  }

  @Test
  void tasksAreOrderedBySlot() {
    Roster.Plan p =
        Roster.plan(
            Set.of(),
            List.of(
                task("c", 3, "running", "running", "10.0.0.4"),
                task("a", 1, "running", "running", "10.0.0.2")));
    assertEquals(List.of("a", "c"), ids(p.probe()));
  }
}
