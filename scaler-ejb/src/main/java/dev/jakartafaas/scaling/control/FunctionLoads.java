package dev.jakartafaas.scaling.control;

import dev.jakartafaas.scaling.control.ReplicaCalculation.Condition;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the scaler remembers between two ticks, per function: the invocation count and time of the
 * last tick (for the rate) and since when the load's condition has held. Not thread-safe: one timer
 * uses it.
 */
public final class FunctionLoads {

  private final Map<String, Load> loads = new HashMap<>();

  /**
   * Records one observation and answers the replicas the function should have.
   *
   * @param invocations the function's invocation count so far (a counter)
   * @param inFlight its invocations in flight now
   * @param nanos a monotonic clock reading ({@link System#nanoTime()})
   */
  public int desired(
      String function,
      ScalingPolicy policy,
      ScalerSettings settings,
      int replicas,
      long invocations,
      long inFlight,
      long nanos) {
    Load load = loads.get(function);
    if (load == null || nanos <= load.nanos) {
      loads.put(function, new Load(invocations, nanos, null, nanos));
      return replicas; // no rate yet
    }
    double rate =
        Math.max(0, invocations - load.invocations) / ((nanos - load.nanos) / 1_000_000_000.0);
    Condition condition = ReplicaCalculation.condition(policy, settings, replicas, rate, inFlight);
    long since = condition == load.condition ? load.since : nanos;
    loads.put(function, new Load(invocations, nanos, condition, since));
    return ReplicaCalculation.desired(
        policy, settings, replicas, condition, inFlight, Duration.ofNanos(nanos - since));
  }

  /** Forgets functions that are no longer deployed. */
  public void retain(Set<String> functions) {
    loads.keySet().retainAll(functions);
  }

  private record Load(long invocations, long nanos, Condition condition, long since) {}
}
