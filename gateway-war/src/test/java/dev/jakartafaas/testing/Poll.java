package dev.jakartafaas.testing;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for a condition the way every system test here must: checks it again and again until it
 * holds or a deadline passes, then fails naming what was awaited. Never a fixed sleep.
 */
public final class Poll {

  /** A condition that may call the platform (and so throw). */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  private static final long PAUSE_MILLIS = 100;

  private Poll() {}

  /**
   * Checks {@code condition} until it holds; after {@code limit} fails with {@code what}, which is
   * computed only then (so it may describe the last state seen).
   *
   * @return how long it took
   */
  public static Duration until(Duration limit, Supplier<String> what, Condition condition)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit.toSeconds() + " s: " + what.get());
      }
      Thread.sleep(PAUSE_MILLIS);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  public static Duration until(Duration limit, String what, Condition condition) throws Exception {
    return until(limit, () -> what, condition);
  }
}
