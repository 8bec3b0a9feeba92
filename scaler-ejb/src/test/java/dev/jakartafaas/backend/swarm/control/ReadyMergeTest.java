package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jakartafaas.backend.entity.ReplicaAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Merging one read of the engine into what the swarm backend knew, case by case. */
class ReadyMergeTest {

  /** The read began at 100 (nanoTime); changes made at 50 came before it, at 150 after. */
  private static final long READ = 100;

  private static final ReplicaAddress T1 = new ReplicaAddress("f", "t1", "10.0.0.1", 8080);
  private static final ReplicaAddress T2 = new ReplicaAddress("f", "t2", "10.0.0.2", 8080);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a listed function is known with the replicas the read found ready",
            known(Map.of(), Map.of(), Map.of(), Map.of()),
            read(Map.of("f", "s1"), Map.of("f", Map.of("t1", T1))),
            Map.of("f", "s1"),
            Map.of("f", Set.of("t1")),
            List.of()),
        Arguments.of(
            "a ready replica the read did not find ready is gone",
            known(Map.of("f", "s1"), Map.of("f", Map.of("t1", T1, "t2", T2)), Map.of(), Map.of()),
            read(Map.of("f", "s1"), Map.of("f", Map.of("t2", T2))),
            Map.of("f", "s1"),
            Map.of("f", Set.of("t2")),
            List.of(T1)),
        Arguments.of(
            "a function removed after the read began stays removed although the read lists it",
            known(Map.of(), Map.of(), Map.of(), Map.of("f", 150L)),
            read(Map.of("f", "s1"), Map.of("f", Map.of("t1", T1))),
            Map.of(),
            Map.of(),
            List.of()),
        Arguments.of(
            "a function removed before the read began and listed again was deployed again",
            known(Map.of(), Map.of(), Map.of(), Map.of("f", 50L)),
            read(Map.of("f", "s2"), Map.of("f", Map.of())),
            Map.of("f", "s2"),
            Map.of("f", Set.of()),
            List.of()),
        Arguments.of(
            "a function deployed after the read began stays known although the read misses it",
            known(Map.of("f", "s1"), Map.of(), Map.of("f", 150L), Map.of()),
            read(Map.of(), Map.of()),
            Map.of("f", "s1"),
            Map.of("f", Set.of()),
            List.of()),
        Arguments.of(
            "a function deployed before the read began that the read misses is gone, and its"
                + " replicas",
            known(Map.of("f", "s1"), Map.of("f", Map.of("t1", T1)), Map.of("f", 50L), Map.of()),
            read(Map.of(), Map.of()),
            Map.of(),
            Map.of(),
            List.of(T1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void mergesTheReadIntoWhatWasKnown(
      String what,
      ReadyMerge.Known before,
      ReadyMerge.Read read,
      Map<String, String> functions,
      Map<String, Set<String>> readyTasks,
      List<ReplicaAddress> gone) {
    ReadyMerge.Result r = ReadyMerge.merge(before, read);
    assertEquals(functions, r.known().functions(), what);
    assertEquals(
        readyTasks,
        r.known().ready().entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    Map.Entry::getKey, e -> Set.copyOf(e.getValue().keySet()))),
        what);
    assertEquals(gone, r.gone(), what);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forgetsDeploysAndRemovalsTheReadAlreadySaw(
      String what,
      ReadyMerge.Known before,
      ReadyMerge.Read read,
      Map<String, String> functions,
      Map<String, Set<String>> readyTasks,
      List<ReplicaAddress> gone) {
    ReadyMerge.Known after = ReadyMerge.merge(before, read).known();
    after.deployedAt().values().forEach(t -> assertEquals(true, t >= READ, what));
    after.removedAt().values().forEach(t -> assertEquals(true, t >= READ, what));
  }

  private static ReadyMerge.Known known(
      Map<String, String> functions,
      Map<String, Map<String, ReplicaAddress>> ready,
      Map<String, Long> deployedAt,
      Map<String, Long> removedAt) {
    return new ReadyMerge.Known(functions, ready, deployedAt, removedAt);
  }

  private static ReadyMerge.Read read(
      Map<String, String> services, Map<String, Map<String, ReplicaAddress>> ready) {
    return new ReadyMerge.Read(READ, services, ready);
  }
}
