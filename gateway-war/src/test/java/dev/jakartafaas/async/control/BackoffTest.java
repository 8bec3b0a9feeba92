package dev.jakartafaas.async.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

  @ParameterizedTest(name = "after {0} failure(s), initial {1} ms, max {2} ms, jitter {3}: {4} ms")
  @CsvSource({
    "1, 1000, 60000, 0.0, 1000",
    "2, 1000, 60000, 0.0, 2000",
    "3, 1000, 60000, 0.0, 4000",
    "7, 1000, 60000, 0.0, 60000", // 64 s capped at the max
    "40, 1000, 60000, 0.0, 60000", // no overflow
    "1000, 1000, 60000, 0.0, 60000",
    "1, 1000, 60000, 0.5, 750", // jitter takes up to half off
    "3, 1000, 60000, 0.999999, 2001",
    "0, 1000, 60000, 0.0, 1000", // before any failure: the initial wait
    "2, 500, 200, 0.0, 500", // a max below the initial: the initial
    "1, 0, 0, 0.0, 1", // never zero: a retry is always scheduled, never run inline
    "2, 20, 200, 1.5, 21", // jitter out of range is clamped below 1
  })
  void waitsExponentiallyCappedAndJitteredDownByAtMostHalf(
      int failed, long initial, long max, double jitter, long expected) {
    assertEquals(
        Duration.ofMillis(expected),
        Backoff.after(failed, Duration.ofMillis(initial), Duration.ofMillis(max), jitter));
  }
}
