package dev.jakartafaas.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition the way every test of the project must: checks it again and again until it
 * holds or a deadline passes, then fails naming what was awaited. Never a fixed sleep. Shared by
 * every module's tests through the watchdog's test jar.
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

  /**
   * As {@link #until}, for a condition that fails while what it waits for is not there yet (a
   * server that does not listen yet refuses the connection): a throw counts as not holding, and the
   * last one is the cause of the failure.
   */
  public static Duration tolerating(Duration limit, String what, Condition condition)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (condition.holds()) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit.toSeconds() + " s: " + what, last);
      }
      Thread.sleep(PAUSE_MILLIS);
    }
  }

  /** As {@link #until}, for a condition that cannot throw. */
  public static void untilTrue(Duration limit, String what, BooleanSupplier condition)
      throws InterruptedException {
    try {
      until(limit, () -> what, condition::getAsBoolean);
    } catch (InterruptedException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // a BooleanSupplier throws nothing checked
    }
  }

  /**
   * Checks {@code condition} again and again for {@code window} and fails with {@code what} the
   * first time it does not hold: for what must stay true for a while, not merely become true.
   */
  public static void during(Duration window, String what, Condition condition) throws Exception {
    long end = System.nanoTime() + window.toNanos();
    do {
      if (!condition.holds()) {
        throw new AssertionError("stopped holding within " + window.toMillis() + " ms: " + what);
      }
      Thread.sleep(Math.min(PAUSE_MILLIS, Math.max(1, window.toMillis() / 10)));
    } while (System.nanoTime() < end);
  }
}
