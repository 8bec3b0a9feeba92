package dev.jakartafaas.security.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {

  private static final long S = 1_000_000_000L;

  @Test
  void letsTheFirstFailuresThroughThenLocksOutForOneSecond() {
    FailureThrottle t = new FailureThrottle(3, Duration.ofSeconds(60), 100);
    assertEquals(Duration.ZERO, t.failed("a", 0));
    assertEquals(Duration.ZERO, t.failed("a", 0));
    assertTrue(t.blocked("a", 0).isEmpty());
    assertEquals(Duration.ofSeconds(1), t.failed("a", 0));
    assertEquals(Optional.of(Duration.ofSeconds(1)), t.blocked("a", 0));
    assertTrue(t.blocked("a", S).isEmpty(), "free again after the lockout");
  }

  @Test
  void lockoutDoublesUpToTheMaximum() {
    FailureThrottle t = new FailureThrottle(1, Duration.ofSeconds(10), 100);
    assertEquals(Duration.ofSeconds(1), t.failed("a", 0));
    assertEquals(Duration.ofSeconds(2), t.failed("a", 0));
    assertEquals(Duration.ofSeconds(4), t.failed("a", 0));
    assertEquals(Duration.ofSeconds(8), t.failed("a", 0));
    assertEquals(Duration.ofSeconds(10), t.failed("a", 0));
    for (int i = 0; i < 100; i++) {
      t.failed("a", 0);
    }
    assertEquals(Duration.ofSeconds(10), t.failed("a", 0), "no overflow after many failures");
  }

  @Test
  void successForgetsFailuresAndClientsAreSeparate() {
    FailureThrottle t = new FailureThrottle(2, Duration.ofSeconds(60), 100);
    t.failed("a", 0);
    t.failed("a", 0);
    assertTrue(t.blocked("a", 0).isPresent());
    assertTrue(t.blocked("b", 0).isEmpty(), "another client is not affected");
    t.succeeded("a");
    assertTrue(t.blocked("a", 0).isEmpty());
    assertEquals(Duration.ZERO, t.failed("a", 0), "counting starts again");
  }

  @Test
  void remembersAtMostItsCapacity() {
    FailureThrottle t = new FailureThrottle(5, Duration.ofSeconds(60), 1000);
    for (int i = 0; i < 10_000; i++) {
      t.failed("10.0." + (i / 256) + "." + (i % 256), 0);
    }
    assertEquals(1000, t.remembered());
  }
}
