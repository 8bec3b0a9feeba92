package dev.jakartafaas.backend.process.control;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides which replicas to start and stop so that a function converges on its desired count and
 * its current deployment generation. Old-generation replicas keep serving until enough new ones are
 * ready, so an update never leaves a function without a ready replica.
 */
public final class ReplicaPlan {

  /** What the plan needs to know of one replica. */
  public record Replica(String instance, long generation, ReplicaState state, Instant startedAt) {}

  /**
   * @param start how many new replicas of the current generation to start
   * @param stop the instances to stop
   */
  public record Decision(int start, List<String> stop) {}

  private static final Comparator<Replica> NEWEST_FIRST =
      Comparator.comparing(Replica::startedAt).reversed().thenComparing(Replica::instance);

  private ReplicaPlan() {}

  /**
   * @param mayStart false while a crash-looping function waits out its backoff
   */
  public static Decision decide(
      int desired, long generation, List<Replica> replicas, boolean mayStart) {
    List<Replica> current = new ArrayList<>();
    List<Replica> old = new ArrayList<>();
    for (Replica r : replicas) {
      if (r.state() != ReplicaState.STOPPING) {
        (r.generation() == generation ? current : old).add(r);
      }
    }
    List<String> stop = new ArrayList<>();
    if (current.size() > desired) {
      // starting ones first (they serve nobody yet), then the newest ready ones
      current.sort(
          Comparator.comparing((Replica r) -> r.state() == ReplicaState.READY)
              .thenComparing(NEWEST_FIRST));
      for (Replica r : current.subList(0, current.size() - desired)) {
        stop.add(r.instance());
      }
    }
    long currentReady =
        current.stream()
            .filter(r -> r.state() == ReplicaState.READY && !stop.contains(r.instance()))
            .count();
    long keepOld = Math.max(0, desired - currentReady);
    // keep the newest old replicas, retire the oldest first
    old.sort(NEWEST_FIRST);
    for (Replica r : old) {
      if (r.state() == ReplicaState.READY && keepOld > 0) {
        keepOld--;
      } else {
        stop.add(r.instance());
      }
    }
    int missing = Math.max(0, desired - current.size());
    return new Decision(mayStart ? missing : 0, stop);
  }

  /**
   * Wait before the next start after {@code failures} replicas in a row died or never got ready.
   */
  public static Duration backoff(int failures) {
    if (failures <= 1) {
      return Duration.ZERO;
    }
    long millis = 250L << Math.min(failures - 2, 7);
    return Duration.ofMillis(Math.min(millis, 30_000));
  }
}
