package dev.jakartafaas.async.control;

import java.time.Duration;

/**
 * The wait before a retry: exponential from {@code faas.async.backoff-initial}, doubled per failed
 * attempt, capped at {@code faas.async.backoff-max}, then jittered down by up to half so that calls
 * that failed together do not come back together. A pure function of its inputs.
 */
final class Backoff {

  private Backoff() {}

  /**
   * The wait after the given failed attempt.
   *
   * @param failed the attempts failed so far in this round (1 after the first failure)
   * @param jitter a number in [0, 1): 0 waits the full step, values near 1 about half of it
   */
  static Duration after(int failed, Duration initial, Duration max, double jitter) {
    long initialMs = Math.max(1, initial.toMillis());
    long maxMs = Math.max(initialMs, max.toMillis());
    int doublings = Math.max(0, Math.min(failed - 1, 40));
    long step = initialMs;
    for (int i = 0; i < doublings && step < maxMs; i++) {
      step *= 2;
    }
    step = Math.min(step, maxMs);
    double j = Math.max(0, Math.min(jitter, 0.999_999));
    return Duration.ofMillis(Math.max(1, step - (long) (step / 2.0 * j)));
  }
}
