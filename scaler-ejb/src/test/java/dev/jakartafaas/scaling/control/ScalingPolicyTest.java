package dev.jakartafaas.scaling.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading the scaling labels. */
class ScalingPolicyTest {

  @Test
  void defaultsWithoutLabels() {
    assertEquals(
        new ScalingPolicy(1, 20, 20, false, Duration.ofMinutes(15), false, 50),
        ScalingPolicy.fromLabels(Map.of()));
  }

  @Test
  void readsEveryLabel() {
    ScalingPolicy p =
        ScalingPolicy.fromLabels(
            Map.of(
                ScalingPolicy.MIN, "2",
                ScalingPolicy.MAX, "8",
                ScalingPolicy.FACTOR, "50",
                ScalingPolicy.ZERO, "true",
                ScalingPolicy.ZERO_DURATION, "2m",
                ScalingPolicy.TYPE, "Capacity",
                ScalingPolicy.TARGET, "7"));
    assertEquals(new ScalingPolicy(2, 8, 50, true, Duration.ofMinutes(2), true, 7), p);
  }

  @Test
  void readsTheLegacyMaxUnlessTheNewOneIsSet() {
    assertEquals(10, ScalingPolicy.fromLabels(Map.of(ScalingPolicy.LEGACY_MAX, "10")).max());
    assertEquals(
        4,
        ScalingPolicy.fromLabels(Map.of(ScalingPolicy.LEGACY_MAX, "10", ScalingPolicy.MAX, "4"))
            .max());
  }

  @Test
  void boundsValuesAndIgnoresUnreadableOnes() {
    ScalingPolicy p =
        ScalingPolicy.fromLabels(
            Map.of(
                ScalingPolicy.MIN, "0",
                ScalingPolicy.FACTOR, "150",
                ScalingPolicy.ZERO_DURATION, "soon",
                ScalingPolicy.TARGET, "-3"));
    assertEquals(1, p.min());
    assertEquals(100, p.factor());
    assertEquals(Duration.ofMinutes(15), p.zeroDuration());
    assertEquals(1, p.target());
    assertEquals(
        6, ScalingPolicy.fromLabels(Map.of(ScalingPolicy.MIN, "6", ScalingPolicy.MAX, "3")).max());
  }

  @Test
  void minEqualToMaxOrFactorZeroFixesTheReplicas() {
    assertTrue(
        ScalingPolicy.fromLabels(Map.of(ScalingPolicy.MIN, "3", ScalingPolicy.MAX, "3")).fixed());
    assertTrue(ScalingPolicy.fromLabels(Map.of(ScalingPolicy.FACTOR, "0")).fixed());
    assertFalse(ScalingPolicy.fromLabels(Map.of()).fixed());
  }

  @ParameterizedTest(name = "min label {0} -> {1}")
  @CsvSource({"'', 1", "2, 2", "0, 1", "-3, 1", "101, 1", "100, 100", "x, 1", "' 3 ', 3"})
  void newFunctionsStartWithTheirMinimumScale(String min, int replicas) {
    Map<String, String> labels = min.isEmpty() ? Map.of() : Map.of(ScalingPolicy.MIN, min);
    assertEquals(replicas, ScalingPolicy.fromLabels(labels).initialReplicas());
  }
}
