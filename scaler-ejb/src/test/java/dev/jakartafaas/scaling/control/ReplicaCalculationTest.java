package dev.jakartafaas.scaling.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The replica calculation as a table, in the manner of OpenFaaS's {@code CalculateReplicas} tests,
 * with the default thresholds: 5 requests/s, up after 5 s, down after 30 s. Labels are written
 * short ({@code max=10} for {@code com.openfaas.scale.max}) and go through {@link ScalingPolicy}.
 */
class ReplicaCalculationTest {

  private static final ScalerSettings SETTINGS =
      new ScalerSettings(5, Duration.ofSeconds(5), Duration.ofSeconds(30));

  private static final Map<String, String> SHORT =
      Map.of(
          "min", ScalingPolicy.MIN,
          "max", ScalingPolicy.MAX,
          "factor", ScalingPolicy.FACTOR,
          "zero", ScalingPolicy.ZERO,
          "zero-duration", ScalingPolicy.ZERO_DURATION,
          "type", ScalingPolicy.TYPE,
          "target", ScalingPolicy.TARGET,
          "max_replicas", ScalingPolicy.LEGACY_MAX);

  static ScalingPolicy policy(String labels) {
    Map<String, String> map = new HashMap<>();
    if (labels != null && !labels.isBlank()) {
      for (String pair : labels.split(";")) {
        String[] kv = pair.split("=", 2);
        map.put(SHORT.get(kv[0]), kv[1]);
      }
    }
    return ScalingPolicy.fromLabels(map);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # name                                  | labels                          | replicas | rate  | in flight | held s | expected
          scale_up_from_min_factor20              |                                 | 1        | 10    | 1         | 5      | 5
          scale_midrange_factor25                 | factor=25                       | 5        | 200   | 2         | 5      | 10
          scale_up_to_max_factor25                | factor=25                       | 18       | 500   | 1         | 5      | 20
          scale_up_factor100                      | factor=100                      | 1        | 10    | 1         | 5      | 20
          scale_up_waits_for_up_after             |                                 | 1        | 10    | 1         | 4      | 1
          scale_up_factor0_disables_autoscaling   | factor=0                        | 1        | 100   | 1         | 60     | 1
          scale_up_stops_when_replicas_serve_rate |                                 | 5        | 20    | 1         | 60     | 5
          scale_up_while_inflight_exceeds_replicas|                                 | 5        | 20    | 8         | 5      | 9
          scale_up_at_max_stays_at_max            |                                 | 20       | 1000  | 40        | 60     | 20
          scale_down_rate_at_threshold_is_calm    |                                 | 9        | 5     | 1         | 30     | 5
          scale_down_waits_for_down_after         |                                 | 9        | 1     | 0         | 29     | 9
          scale_down_step_factor20_when_idle      |                                 | 9        | 0     | 0         | 30     | 5
          scale_down_stops_at_min                 | min=2                           | 3        | 0     | 0         | 60     | 2
          steady_load_holds                       |                                 | 5        | 20    | 2         | 600    | 5
          min_equals_max_never_fights             | min=5;max=5                     | 12       | 100   | 10        | 100    | 12
          legacy_max_replicas_is_max              | max_replicas=10                 | 8        | 200   | 1         | 5      | 10
          scale_max_wins_over_legacy_max          | max=4;max_replicas=10           | 1        | 100   | 1         | 5      | 2
          above_max_goes_back_to_max              | max=10                          | 15       | 0     | 0         | 0      | 10
          below_min_goes_back_to_min              | min=3                           | 1        | 0     | 0         | 0      | 3
          zero_after_zero_duration                | zero=true;zero-duration=60s     | 3        | 0     | 0         | 60     | 0
          zero_waits_for_zero_duration            | zero=true;zero-duration=60s     | 1        | 0     | 0         | 59     | 1
          zero_default_duration_is_15m_before     | zero=true                       | 1        | 0     | 0         | 899    | 1
          zero_default_duration_is_15m_after      | zero=true                       | 1        | 0     | 0         | 900    | 0
          zero_needs_the_label                    | zero-duration=1s                | 1        | 0     | 0         | 3600   | 1
          zero_not_while_requests_in_flight       | zero=true;zero-duration=1s      | 1        | 0     | 1         | 3600   | 1
          zero_left_to_requests_despite_rate      | zero=true                       | 0        | 0.5   | 0         | 0      | 0
          zero_left_to_requests_despite_inflight  | zero=true;min=2                 | 0        | 0     | 1         | 0      | 0
          stays_at_zero_while_idle                | zero=true                       | 0        | 0     | 0         | 100    | 0
          manual_zero_stays_while_idle            | min=2                           | 0        | 0     | 0         | 100    | 0
          manual_zero_kept_after_recent_calls     | min=2                           | 0        | 30    | 0         | 0      | 0
          capacity_scales_up_at_once              | type=capacity;target=10         | 1        | 50    | 35        | 0      | 4
          capacity_capped_at_max                  | type=capacity;target=1;max=8    | 2        | 50    | 30        | 0      | 8
          capacity_down_waits_for_stable_window   | type=capacity;target=10         | 4        | 5     | 5         | 29     | 4
          capacity_down_after_stable_window       | type=capacity;target=10         | 4        | 5     | 5         | 30     | 1
          capacity_steady_holds                   | type=capacity;target=10         | 3        | 50    | 25        | 100    | 3
          capacity_ignores_factor0                | type=capacity;target=10;factor=0 | 1       | 50    | 25        | 0      | 3
          bad_labels_take_defaults                | min=x;max=;factor=abc           | 1        | 10    | 1         | 5      | 5
          """)
  void calculatesReplicas(
      String name,
      String labels,
      int replicas,
      double rate,
      long inFlight,
      long heldSeconds,
      int expected) {
    assertEquals(
        expected,
        ReplicaCalculation.desired(
            policy(labels), SETTINGS, replicas, rate, inFlight, Duration.ofSeconds(heldSeconds)),
        name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # name                               | labels       | replicas | expected
          request_at_zero_starts_one           |              | 0        | 1
          request_at_zero_starts_min           | min=3;max=5  | 0        | 3
          request_at_zero_with_zero_label      | zero=true    | 0        | 1
          request_while_starting_keeps_count   | min=1        | 2        | 2
          request_below_min_while_starting     | min=3        | 1        | 1
          """)
  void startsAFunctionAtZeroOnRequest(String name, String labels, int replicas, int expected) {
    assertEquals(expected, ReplicaCalculation.onRequest(policy(labels), replicas), name);
  }
}
