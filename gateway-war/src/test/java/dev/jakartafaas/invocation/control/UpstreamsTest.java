package dev.jakartafaas.invocation.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.backend.entity.ReplicaAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The choice among a function's ready replicas when some could not be reached lately. */
class UpstreamsTest {

  private static final long HOUR = 3_600_000_000_000L;

  private final Upstreams upstreams = new Upstreams();
  private final ReplicaAddress a = new ReplicaAddress("f", "a", "10.0.0.1", 8080);
  private final ReplicaAddress b = new ReplicaAddress("f", "b", "10.0.0.2", 8080);
  private final List<ReplicaAddress> both = List.of(a, b);

  private Set<ReplicaAddress> chosenOver(int requests) {
    Set<ReplicaAddress> chosen = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      chosen.add(upstreams.choose(both, null).address);
    }
    return chosen;
  }

  @Test
  void anUnreachableReplicaIsPassedOverWhileAnotherIsThere() {
    assertEquals(Set.of(a, b), chosenOver(10));
    Upstream first = upstreams.choose(List.of(a), null);
    first.passOver(System.nanoTime() + HOUR);
    assertTrue(first.passedOver(System.nanoTime()));
    assertEquals(Set.of(b), chosenOver(10));
  }

  @Test
  void whenEveryReplicaIsPassedOverTheyAreAllChosenAgain() {
    upstreams.choose(List.of(a), null).passOver(System.nanoTime() + HOUR);
    upstreams.choose(List.of(b), null).passOver(System.nanoTime() + HOUR);
    assertEquals(Set.of(a, b), chosenOver(10));
  }

  @Test
  void aReplicaIsChosenAgainOnceItsTimeIsOver() {
    Upstream first = upstreams.choose(List.of(a), null);
    first.passOver(System.nanoTime() - 1);
    assertFalse(first.passedOver(System.nanoTime()));
    assertEquals(Set.of(a, b), chosenOver(10));
  }

  @Test
  void anOnlyReplicaIsAlwaysChosen() {
    upstreams.choose(List.of(a), null).passOver(System.nanoTime() + HOUR);
    assertEquals(a, upstreams.choose(List.of(a), null).address);
  }
}
