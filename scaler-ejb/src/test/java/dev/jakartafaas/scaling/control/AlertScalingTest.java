package dev.jakartafaas.scaling.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.scaling.control.AlertScaling.Alert;
import dev.jakartafaas.scaling.control.AlertScaling.Deployed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Alertmanager webhook's decision as a table, in the manner of OpenFaaS's alert handler tests.
 * Labels are written short as in {@link ReplicaCalculationTest}.
 */
class AlertScalingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # name                              | labels            | status   | replicas | expected
          firing_adds_step_factor20_max20     |                   | firing   | 1        | 5
          firing_midrange_factor25            | factor=25;max=20  | firing   | 5        | 10
          firing_stops_at_max                 | max=10            | firing   | 9        | 10
          firing_at_max_stays                 | max=10            | firing   | 10       | 10
          firing_from_zero_adds_a_step        | max=10            | firing   | 0        | 2
          firing_step_rounds_up               | max=3;factor=10   | firing   | 1        | 2
          firing_factor0_goes_to_min          | factor=0;min=2    | firing   | 7        | 2
          firing_min_equals_max_stays         | min=4;max=4       | firing   | 4        | 4
          firing_legacy_max_replicas          | max_replicas=5    | firing   | 4        | 5
          resolved_goes_to_min                | min=2             | resolved | 9        | 2
          resolved_default_min_is_1           |                   | resolved | 20       | 1
          resolved_from_zero_goes_to_min      |                   | resolved | 0        | 1
          """)
  void calculatesReplicasAsOpenFaas(
      String name, String labels, String status, int replicas, int expected) {
    ScalingPolicy policy = ReplicaCalculationTest.policy(labels);
    assertEquals(expected, AlertScaling.replicas(status, replicas, policy), name);
  }

  private static final Map<String, Deployed> DEPLOYED =
      Map.of(
          "echoit", new Deployed(1, ReplicaCalculationTest.policy("max=20")),
          "wc", new Deployed(4, ReplicaCalculationTest.policy("max=10")),
          "fixed", new Deployed(2, ReplicaCalculationTest.policy("min=2;max=2")));

  @Test
  void scalesEachKnownFunctionAndSkipsUnknownOnes() {
    List<Alert> alerts =
        List.of(
            new Alert("firing", "nope"),
            new Alert("firing", "echoit"),
            new Alert("resolved", "wc"),
            new Alert("firing", null),
            new Alert("firing", "fixed"));
    assertEquals(Map.of("echoit", 5, "wc", 1), AlertScaling.decide(alerts, DEPLOYED));
  }

  @Test
  void appliesAlertsForTheSameFunctionInTurn() {
    List<Alert> twice = List.of(new Alert("firing", "echoit"), new Alert("firing", "echoit"));
    assertEquals(Map.of("echoit", 9), AlertScaling.decide(twice, DEPLOYED));
    List<Alert> upAndBack = List.of(new Alert("firing", "echoit"), new Alert("resolved", "echoit"));
    assertEquals(Map.of(), AlertScaling.decide(upAndBack, DEPLOYED), "back where it was");
  }

  @Test
  void parsesAlertmanagersWebhookBody() {
    String body =
        """
        {"receiver": "scale-up", "status": "firing", "groupLabels": {"alertname": "APIHighInvocationRate"},
         "alerts": [
           {"status": "firing", "labels": {"alertname": "APIHighInvocationRate", "function_name": "echoit"}},
           {"status": "resolved", "labels": {"function_name": "wc", "code": "200"}},
           {"labels": {"function_name": "base64"}},
           {"status": "firing", "labels": {}},
           {"status": "firing"}
         ]}
        """;
    List<Alert> expected = new ArrayList<>();
    expected.add(new Alert("firing", "echoit"));
    expected.add(new Alert("resolved", "wc"));
    expected.add(new Alert("firing", "base64"));
    expected.add(new Alert("firing", null));
    expected.add(new Alert("firing", null));
    assertEquals(expected, AlertScaling.parse(body.getBytes(StandardCharsets.UTF_8)));
    Map<String, Integer> none = new LinkedHashMap<>();
    assertEquals(none, AlertScaling.decide(List.of(), DEPLOYED));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{bad",
        "[]",
        "{}",
        "{\"alerts\": {}}",
        "{\"alerts\": [1]}",
        "{\"alerts\": [{\"status\": 1}]}",
        "{\"alerts\": [{\"labels\": []}]}",
        "{\"alerts\": [{\"labels\": {\"function_name\": 5}}]}"
      })
  void rejectsMalformedBodies(String body) {
    assertThrows(
        InvalidInputException.class,
        () -> AlertScaling.parse(body.getBytes(StandardCharsets.UTF_8)));
  }
}
