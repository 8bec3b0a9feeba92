package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Bounded polling: tests wait for a condition up to a generous deadline, never for a fixed time.
 */
final class Await {

  private Await() {}

  /** Polls {@code condition} until it holds; fails with {@code what} after {@code limit}. */
  static void until(Duration limit, String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        fail("Waited " + limit.toSeconds() + " s for: " + what, last);
      }
      Thread.sleep(25);
    }
  }
}
