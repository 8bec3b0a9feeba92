package dev.jakartafaas.scaling.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scaler's memory between ticks, driven with a made-up clock. */
class FunctionLoadsTest {

  private static final long SECOND = 1_000_000_000L;
  private static final ScalerSettings SETTINGS =
      new ScalerSettings(5, Duration.ofSeconds(5), Duration.ofSeconds(30));
  private static final ScalingPolicy DEFAULTS = ScalingPolicy.fromLabels(Map.of());

  private final FunctionLoads loads = new FunctionLoads();

  @Test
  void firstObservationKeepsTheReplicas() {
    assertEquals(1, loads.desired("f", DEFAULTS, SETTINGS, 1, 1_000_000, 50, 0));
  }

  @Test
  void scalesUpOnceTheRateHeldAboveTheThresholdForUpAfterThenStepsEachTick() {
    int replicas = 1;
    long count = 0;
    int[] seen = new int[12];
    for (int s = 0; s < seen.length; s++) {
      replicas = loads.desired("f", DEFAULTS, SETTINGS, replicas, count, 1, s * SECOND);
      seen[s] = replicas;
      count += 100; // 100 requests per second
    }
    // rate known from second 1; busy since then; 5 s later (second 6) the first step
    assertEquals(1, seen[5]);
    assertEquals(5, seen[6]);
    assertEquals(9, seen[7]);
    assertEquals(17, seen[9]);
    assertEquals(20, seen[10], "capped at max");
    assertEquals(20, seen[11]);
  }

  @Test
  void stepsDownAfterCalmHeldForDownAfterAndStopsAtMin() {
    int replicas = 9;
    for (int s = 0; s <= 31; s++) {
      replicas = loads.desired("f", DEFAULTS, SETTINGS, replicas, 0, 0, s * SECOND);
    }
    assertEquals(5, replicas, "idle since second 1, 30 s held at second 31");
    replicas = loads.desired("f", DEFAULTS, SETTINGS, replicas, 0, 0, 32 * SECOND);
    replicas = loads.desired("f", DEFAULTS, SETTINGS, replicas, 0, 0, 33 * SECOND);
    assertEquals(1, replicas);
  }

  @Test
  void aChangeOfConditionRestartsTheClock() {
    int replicas = 1;
    long count = 0;
    for (int s = 0; s < 20; s++) {
      count += s % 4 == 0 ? 0 : 100; // every fourth second calm
      replicas = loads.desired("f", DEFAULTS, SETTINGS, replicas, count, 1, s * SECOND);
    }
    assertEquals(1, replicas, "the load never held 5 s in a row");
  }

  @Test
  void forgetsRemovedFunctions() {
    loads.desired("f", DEFAULTS, SETTINGS, 1, 0, 0, 0);
    loads.retain(Set.of());
    assertEquals(1, loads.desired("f", DEFAULTS, SETTINGS, 1, 1_000, 9, SECOND), "no rate yet");
  }
}
