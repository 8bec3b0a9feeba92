package dev.jakartafaas.scaling.control;

import dev.jakartafaas.configuration.control.DurationConverter;
import java.time.Duration;
import java.util.Map;

/**
 * A function's scaling policy, read from its deployment labels (OpenFaaS's names). Missing or
 * unreadable values take the defaults, so a label typo never stops a function from running.
 *
 * @param min fewest replicas while running (at least 1)
 * @param max most replicas (at least {@code min})
 * @param factor percent of {@code max} added or removed per step; 0 disables autoscaling
 * @param zero whether an idle function may go to 0 replicas
 * @param zeroDuration how long a function must be idle before it goes to 0
 * @param capacity whether replicas follow in-flight requests ({@code target} per replica) rather
 *     than the request rate
 * @param target in-flight requests one replica should serve, in capacity mode (at least 1)
 */
public record ScalingPolicy(
    int min,
    int max,
    int factor,
    boolean zero,
    Duration zeroDuration,
    boolean capacity,
    int target) {

  public static final String MIN = "com.openfaas.scale.min";
  public static final String MAX = "com.openfaas.scale.max";
  public static final String FACTOR = "com.openfaas.scale.factor";
  public static final String ZERO = "com.openfaas.scale.zero";
  public static final String ZERO_DURATION = "com.openfaas.scale.zero-duration";
  public static final String TYPE = "com.openfaas.scale.type";
  public static final String TARGET = "com.openfaas.scale.target";

  /** The seed's older label for the maximum; {@link #MAX} wins when both are set. */
  public static final String LEGACY_MAX = "com.faas.max_replicas";

  public static final int DEFAULT_MIN = 1;
  public static final int DEFAULT_MAX = 20;
  public static final int DEFAULT_FACTOR = 20;
  public static final Duration DEFAULT_ZERO_DURATION = Duration.ofMinutes(15);
  public static final int DEFAULT_TARGET = 50;

  /** The value of {@link #TYPE} that selects capacity mode; anything else is the rate mode. */
  public static final String CAPACITY = "capacity";

  public static ScalingPolicy fromLabels(Map<String, String> labels) {
    int min = Math.max(1, integer(labels.get(MIN), DEFAULT_MIN));
    int max = integer(labels.get(MAX), integer(labels.get(LEGACY_MAX), DEFAULT_MAX));
    int factor = Math.min(100, Math.max(0, integer(labels.get(FACTOR), DEFAULT_FACTOR)));
    boolean zero = "true".equalsIgnoreCase(trim(labels.get(ZERO)));
    Duration zeroDuration = duration(labels.get(ZERO_DURATION), DEFAULT_ZERO_DURATION);
    boolean capacity = CAPACITY.equalsIgnoreCase(trim(labels.get(TYPE)));
    int target = Math.max(1, integer(labels.get(TARGET), DEFAULT_TARGET));
    return new ScalingPolicy(min, Math.max(min, max), factor, zero, zeroDuration, capacity, target);
  }

  /** A new function's replicas are its minimum when it is at most this, else the default. */
  public static final int MAX_INITIAL = 100;

  /**
   * The replicas a newly deployed function starts with, on every backend: its minimum, as on
   * OpenFaaS (an implausible minimum above {@link #MAX_INITIAL} starts with {@link #DEFAULT_MIN}).
   */
  public int initialReplicas() {
    return min <= MAX_INITIAL ? min : DEFAULT_MIN;
  }

  /** Min equal to max, or a factor of 0, turns autoscaling off: only manual scaling changes it. */
  public boolean fixed() {
    return min == max || !capacity && factor == 0;
  }

  private static int integer(String value, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static Duration duration(String value, Duration fallback) {
    try {
      Duration d = value == null ? fallback : DurationConverter.parse(value.trim());
      return d.isNegative() ? fallback : d;
    } catch (RuntimeException e) {
      return fallback;
    }
  }

  private static String trim(String value) {
    return value == null ? "" : value.trim();
  }
}
