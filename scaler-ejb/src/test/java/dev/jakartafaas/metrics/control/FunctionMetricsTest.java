package dev.jakartafaas.metrics.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-function series behind {@code /metrics} and {@code invocationCount}. */
class FunctionMetricsTest {

  private final FakeMetricRegistry metrics = new FakeMetricRegistry();
  private final FunctionMetrics counts = new FunctionMetrics(metrics.registry, null);

  private Long series(String name, String function, String code) {
    return code == null
        ? metrics.value(name, FunctionMetrics.FUNCTION_LABEL, function)
        : metrics.value(
            name, FunctionMetrics.FUNCTION_LABEL, function, FunctionMetrics.CODE_LABEL, code);
  }

  @Test
  void countsByFunctionAndCodeAndSumsCodesForInvocationCount() {
    counts.finished(counts.started("a"), 200, 1_000_000);
    counts.finished(counts.started("a"), 200, 2_000_000);
    counts.finished(counts.started("a"), 502, 3_000_000);
    counts.finished(counts.started("b"), 200, 1_000_000);

    assertEquals(3, counts.count("a"));
    assertEquals(1, counts.count("b"));
    assertEquals(0, counts.count("never-called"));
    assertEquals(2L, series(FunctionMetrics.INVOCATIONS, "a", "200"));
    assertEquals(1L, series(FunctionMetrics.INVOCATIONS, "a", "502"));
    assertEquals(2L, series(FunctionMetrics.DURATIONS, "a", "200"));
    assertEquals(3L, series(FunctionMetrics.STARTED, "a", null));
  }

  @Test
  void tracksInvocationsInFlight() {
    FunctionMetrics.Calls one = counts.started("a");
    FunctionMetrics.Calls two = counts.started("a");
    assertEquals(2, counts.inFlight("a"));
    assertEquals(2L, series(FunctionMetrics.IN_FLIGHT, "a", null));
    counts.finished(one, 200, 1);
    counts.finished(two, 200, 1);
    assertEquals(0, counts.inFlight("a"));
  }

  @Test
  void trackingADeployedFunctionRegistersItsGaugesOnly() {
    counts.track("a");
    assertEquals(0L, series(FunctionMetrics.STARTED, "a", null));
    assertEquals(0L, series(FunctionMetrics.IN_FLIGHT, "a", null));
    assertTrue(metrics.series.keySet().stream().noneMatch(id -> id.getTags().containsKey("code")));
  }

  @Test
  void forgettingAFunctionRemovesEverySeriesAndALateFinishAddsNone() {
    FunctionMetrics.Calls late = counts.started("a");
    counts.finished(counts.started("a"), 200, 1);
    counts.forget("a");
    assertTrue(metrics.series.isEmpty(), metrics.series.toString());
    counts.finished(late, 500, 1);
    assertTrue(metrics.series.isEmpty(), metrics.series.toString());
    assertNull(series(FunctionMetrics.INVOCATIONS, "a", "500"));
    assertEquals(0, counts.count("a"));
  }

  @Test
  void countsWaitingInvocationsInFlightAndTimesOnlyWaitsThatEndedReady() {
    FunctionMetrics.Calls one = counts.waiting("a");
    FunctionMetrics.Calls two = counts.waiting("a");
    assertEquals(2, counts.inFlight("a"), "the autoscaler sees waiting invocations");
    assertEquals(0L, series(FunctionMetrics.IN_FLIGHT, "a", null), "the gauge does not");
    counts.gaveUp(one);
    assertNull(series(FunctionMetrics.COLD_STARTS, "a", null));
    counts.readyAfter(two, 300_000_000);
    assertEquals(1L, series(FunctionMetrics.COLD_STARTS, "a", null));
    assertEquals(0, counts.inFlight("a"));
    counts.forget("a");
    assertTrue(metrics.series.isEmpty(), metrics.series.toString());
  }

  @Test
  void countsScalingEventsByDirectionOnlyForRealChangesOfTrackedFunctions() {
    counts.track("a");
    counts.scaled("a", 1, 5);
    counts.scaled("a", 5, 9);
    counts.scaled("a", 9, 1);
    counts.scaled("a", 3, 3);
    counts.scaled("unknown", 1, 2);
    String dir = FunctionMetrics.DIRECTION_LABEL;
    String fn = FunctionMetrics.FUNCTION_LABEL;
    assertEquals(2L, metrics.value(FunctionMetrics.SCALING_EVENTS, fn, "a", dir, "up"));
    assertEquals(1L, metrics.value(FunctionMetrics.SCALING_EVENTS, fn, "a", dir, "down"));
    assertEquals(null, metrics.value(FunctionMetrics.SCALING_EVENTS, fn, "unknown", dir, "up"));

    counts.forget("a");
    assertEquals(null, metrics.value(FunctionMetrics.SCALING_EVENTS, fn, "a", dir, "up"));
    assertEquals(null, metrics.value(FunctionMetrics.SCALING_EVENTS, fn, "a", dir, "down"));
  }
}
