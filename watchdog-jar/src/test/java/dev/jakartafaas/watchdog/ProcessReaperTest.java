package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jakartafaas.watchdog.ProcessReaper.ProcStat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessReaperTest {

  private static final long SELF = 100;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "4711 (cat) S 100 100 100 0 -1 4194560 | 100 | 100 | false",
        "4711 (my cmd) S 1 4711 4711 0 -1 | 1 | 4711 | false",
        "4711 (a) b) R 7 8 9 | 7 | 8 | false",
        "4711 ((sd-pam)) Z 100 200 200 0 | 100 | 200 | true",
        "4711 (x) Z) S 3 4 5 | 3 | 4 | false",
      })
  void parsesStatWhoseCommandHoldsSpacesAndParentheses(
      String stat, long parent, long group, boolean zombie) {
    assertEquals(new ProcStat(4711, parent, group, zombie), ProcStat.parse(4711, stat));
  }

  @Test
  void readsOwnStat() {
    long pid = ProcessHandle.current().pid();

    ProcStat self = ProcStat.read(pid);

    assertEquals(pid, self.pid());
    assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), self.parent());
  }

  private static ProcStat proc(long pid, long parent, long group) {
    return new ProcStat(pid, parent, group, false);
  }

  @Test
  void keepsLiveChildrenAndTheirDescendants() {
    List<ProcStat> processes =
        List.of(
            proc(SELF, 1, SELF), proc(200, SELF, SELF), proc(201, 200, SELF), proc(202, 201, SELF));

    assertEquals(List.of(), ProcessReaper.orphansOfGroup(processes, SELF, SELF, Set.of(200L)));
  }

  @Test
  void killsGroupMembersThatLostTheirRequest() {
    List<ProcStat> processes =
        List.of(
            proc(SELF, 1, SELF),
            proc(200, SELF, SELF), // live call
            proc(201, 200, SELF), // its child
            proc(300, 1, SELF), // reparented to init: its call is over
            proc(301, 300, SELF), // and its child
            proc(400, SELF, SELF), // a direct child whose call already finished
            proc(401, 400, SELF),
            new ProcStat(500, 1, SELF, true), // zombie: nothing to kill
            proc(600, 1, 600), // another group
            proc(601, SELF, 601)); // our child that left the group (setsid)

    assertEquals(
        Set.of(300L, 301L, 400L, 401L),
        new TreeSet<>(ProcessReaper.orphansOfGroup(processes, SELF, SELF, Set.of(200L))));
  }

  @Test
  void killsOrphansAdoptedByWatchdogRunningAsPidOne() {
    List<ProcStat> processes =
        List.of(
            proc(1, 0, 1),
            proc(200, 1, 1), // live call
            proc(201, 200, 1),
            proc(300, 1, 1), // background process of a finished call, adopted by us
            proc(301, 300, 1));

    assertEquals(
        Set.of(300L, 301L),
        new TreeSet<>(ProcessReaper.orphansOfGroup(processes, 1, 1, Set.of(200L))));
  }

  @Test
  void killsEverythingOnceNoCallIsLive() {
    List<ProcStat> processes = List.of(proc(SELF, 1, SELF), proc(200, SELF, SELF));

    assertEquals(List.of(200L), ProcessReaper.orphansOfGroup(processes, SELF, SELF, Set.of()));
  }

  @Test
  void killsMembersOfFinishedSessionsAndForgetsEmptyOnes() {
    List<ProcStat> processes =
        List.of(
            proc(701, 1, 700), // left behind by finished call 700
            proc(702, 701, 700),
            new ProcStat(703, 1, 700, true), // zombie
            proc(901, 900, 900), // running call 900
            proc(SELF, 1, SELF));
    Set<Long> finished = new HashSet<>(Set.of(700L, 800L));

    List<Long> orphans = ProcessReaper.orphansOfSessions(processes, finished);

    assertEquals(Set.of(701L, 702L), new TreeSet<>(orphans));
    assertEquals(Set.of(700L), finished);
  }

  @Test
  void treatsSessionAsFinishedOnceItsLeaderExited() {
    Map<Long, ProcStat> table = new HashMap<>();
    table.put(200L, proc(200, SELF, 200)); // running leader
    table.put(300L, new ProcStat(300, SELF, 300, true)); // exited, not yet reaped
    table.put(400L, proc(400, 1, 77)); // pid reused by an unrelated process
    // 500: gone from /proc

    List<Long> exited = ProcessReaper.exitedLeaders(Set.of(200L, 300L, 400L, 500L), table::get);

    assertEquals(Set.of(300L, 400L, 500L), new TreeSet<>(exited));
  }
}
