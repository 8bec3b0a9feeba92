package dev.jakartafaas.scaling.control;

import java.time.Duration;

/**
 * The replica count a function should have, from its policy, its replicas now and the load the
 * gateway observed. Pure: the scaler's timer measures, keeps how long the condition has held and
 * applies the answer once per interval, so a condition that holds scales one step per interval.
 */
public final class ReplicaCalculation {

  /** What the load says, from the point of view of the function's replicas now. */
  public enum Condition {
    /** More load than the replicas are meant to serve. */
    BUSY,
    /** Load, but none that calls for a change. */
    STEADY,
    /** Less load than the replicas serve, but some. */
    CALM,
    /** No request arrived and none is in flight. */
    IDLE
  }

  private ReplicaCalculation() {}

  /**
   * Classifies the load. Rate mode: busy when the rate is above the threshold and either above the
   * threshold per replica or there are more requests in flight than replicas; calm at or below the
   * threshold. Capacity mode: busy when in-flight requests need more replicas than there are, calm
   * when they need fewer.
   */
  public static Condition condition(
      ScalingPolicy policy, ScalerSettings settings, int replicas, double rate, long inFlight) {
    if (rate <= 0 && inFlight <= 0) {
      return Condition.IDLE;
    }
    if (policy.capacity()) {
      int wanted = byCapacity(policy, inFlight);
      return wanted > replicas
          ? Condition.BUSY
          : wanted < replicas ? Condition.CALM : Condition.STEADY;
    }
    double threshold = settings.rpsThreshold();
    if (rate > threshold && (rate > threshold * replicas || inFlight > replicas)) {
      return Condition.BUSY;
    }
    return rate <= threshold ? Condition.CALM : Condition.STEADY;
  }

  /**
   * The desired replicas.
   *
   * @param replicas the desired replicas now
   * @param rate requests per second over the last interval
   * @param inFlight requests in flight now
   * @param heldFor how long {@link #condition} has given the same answer
   */
  public static int desired(
      ScalingPolicy policy,
      ScalerSettings settings,
      int replicas,
      double rate,
      long inFlight,
      Duration heldFor) {
    return desired(
        policy,
        settings,
        replicas,
        condition(policy, settings, replicas, rate, inFlight),
        inFlight,
        heldFor);
  }

  /**
   * The desired replicas, for a {@link #condition} the caller has classified already (the scaler
   * classifies once per tick, to know how long the condition has held).
   */
  public static int desired(
      ScalingPolicy policy,
      ScalerSettings settings,
      int replicas,
      Condition condition,
      long inFlight,
      Duration heldFor) {
    if (policy.fixed()) {
      return replicas;
    }
    if (replicas == 0) {
      // at zero (by the zero label or by hand) a function stays there: a request that arrives
      // starts it through onRequest, while the rate may still count calls from before the scale
      return 0;
    }
    if (condition == Condition.IDLE
        && policy.zero()
        && heldFor.compareTo(policy.zeroDuration()) >= 0) {
      return 0;
    }
    int bounded = Math.max(policy.min(), Math.min(policy.max(), replicas));
    if (bounded != replicas) {
      return bounded;
    }
    boolean up =
        condition == Condition.BUSY && (policy.capacity() || held(heldFor, settings.upAfter()));
    boolean down =
        (condition == Condition.CALM || condition == Condition.IDLE)
            && held(heldFor, settings.downAfter());
    if (policy.capacity()) {
      int wanted = clamp(policy, byCapacity(policy, inFlight));
      return up || down ? wanted : replicas;
    }
    int step = (int) Math.ceil(policy.max() * policy.factor() / 100.0);
    if (up) {
      return clamp(policy, replicas + step);
    }
    if (down) {
      return clamp(policy, replicas - step);
    }
    return replicas;
  }

  /**
   * The replicas to set when a request arrives for a function without a ready replica: a function
   * at 0 goes to its minimum (at least 1); one with replicas on their way keeps its count.
   */
  public static int onRequest(ScalingPolicy policy, int replicas) {
    return replicas > 0 ? replicas : Math.max(1, policy.min());
  }

  private static int byCapacity(ScalingPolicy policy, long inFlight) {
    return (int) Math.min(Integer.MAX_VALUE, (inFlight + policy.target() - 1) / policy.target());
  }

  private static boolean held(Duration heldFor, Duration needed) {
    return heldFor.compareTo(needed) >= 0;
  }

  private static int clamp(ScalingPolicy policy, int replicas) {
    return Math.max(policy.min(), Math.min(policy.max(), replicas));
  }
}
