package dev.jakartafaas.scaling.control;

import dev.jakartafaas.functions.control.JsonBody;
import dev.jakartafaas.problems.entity.InvalidInputException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus Alertmanager webhook ({@code POST /system/alert}) as OpenFaaS's alert handler
 * decides it: a firing alert adds one step ({@code ceil(max * factor / 100)}, up to max), any other
 * status goes to the minimum. Pure: the resource reads the functions and applies the answer.
 */
public final class AlertScaling {

  /** The label that names the function, as OpenFaaS's alert rules set it. */
  public static final String FUNCTION_LABEL = "function_name";

  public static final String FIRING = "firing";

  /**
   * One alert of the webhook body.
   *
   * @param status {@code firing} or {@code resolved} (the alert's own, else the group's)
   * @param function the {@code function_name} label, or null when absent
   */
  public record Alert(String status, String function) {}

  /**
   * A deployed function as the decision needs it.
   *
   * @param replicas its desired replicas now
   */
  public record Deployed(int replicas, ScalingPolicy policy) {}

  private AlertScaling() {}

  /**
   * Parses Alertmanager's webhook body: {@code {"status": ..., "alerts": [{"status": ..., "labels":
   * {"function_name": ...}}]}}.
   *
   * @throws InvalidInputException when it is not JSON of that shape
   */
  public static List<Alert> parse(byte[] body) {
    JsonObject o = JsonBody.object(body);
    String groupStatus = string(o, "status", "status");
    JsonValue alerts = o.get("alerts");
    if (alerts == null || alerts.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new InvalidInputException("field 'alerts' is required and must be an array");
    }
    List<Alert> parsed = new ArrayList<>();
    for (JsonValue v : alerts.asJsonArray()) {
      if (v.getValueType() != JsonValue.ValueType.OBJECT) {
        throw new InvalidInputException("every element of 'alerts' must be an object");
      }
      JsonObject alert = v.asJsonObject();
      String status = string(alert, "status", "alerts[].status");
      JsonValue labels = alert.get("labels");
      String function = null;
      if (labels != null && labels.getValueType() == JsonValue.ValueType.OBJECT) {
        function = string(labels.asJsonObject(), FUNCTION_LABEL, "alerts[].labels.function_name");
      } else if (labels != null && labels.getValueType() != JsonValue.ValueType.NULL) {
        throw new InvalidInputException("field 'alerts[].labels' must be an object");
      }
      parsed.add(new Alert(status != null ? status : groupStatus, function));
    }
    return parsed;
  }

  /**
   * The replicas to set, in the order of the alerts, for the functions whose count changes. Alerts
   * without a function or for one not deployed are skipped; alerts for the same function apply one
   * after the other.
   */
  public static Map<String, Integer> decide(List<Alert> alerts, Map<String, Deployed> deployed) {
    Map<String, Integer> current = new HashMap<>();
    deployed.forEach((name, d) -> current.put(name, d.replicas()));
    Map<String, Integer> changes = new LinkedHashMap<>();
    for (Alert alert : alerts) {
      Deployed d = alert.function() == null ? null : deployed.get(alert.function());
      if (d == null) {
        continue;
      }
      int now = current.get(alert.function());
      int next = replicas(alert.status(), now, d.policy());
      if (next != now) {
        current.put(alert.function(), next);
        changes.put(alert.function(), next);
      }
    }
    changes.entrySet().removeIf(e -> e.getValue() == deployed.get(e.getKey()).replicas());
    return changes;
  }

  /** OpenFaaS's {@code CalculateReplicas}: firing adds a step up to max; else the minimum. */
  public static int replicas(String status, int replicas, ScalingPolicy policy) {
    int step = (int) Math.ceil(policy.max() * policy.factor() / 100.0);
    if (FIRING.equals(status) && step > 0) {
      return Math.min(policy.max(), replicas + step);
    }
    return policy.min();
  }

  private static String string(JsonObject o, String field, String shown) {
    JsonValue v = o.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw new InvalidInputException("field '" + shown + "' must be a string");
  }
}
