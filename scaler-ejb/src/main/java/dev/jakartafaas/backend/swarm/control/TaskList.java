package dev.jakartafaas.backend.swarm.control;

import dev.jakartafaas.backend.swarm.entity.SwarmTask;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the Docker API's task list ({@code GET /tasks}) as raw JSON: docker-java's task model has
 * no network attachments, and those hold the addresses the gateway routes to.
 */
public final class TaskList {

  private TaskList() {}

  /**
   * The tasks of a {@code GET /tasks} answer, each with its address on the named network.
   *
   * @throws IllegalArgumentException when the text is not a JSON array
   */
  public static List<SwarmTask> parse(String json, String network) {
    JsonArray array;
    try (JsonReader reader = Json.createReader(new StringReader(json))) {
      array = reader.readArray();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the task list is not a JSON array: " + e.getMessage());
    }
    List<SwarmTask> tasks = new ArrayList<>(array.size());
    for (JsonValue v : array) {
      if (v.getValueType() != JsonValue.ValueType.OBJECT) {
        continue;
      }
      JsonObject t = v.asJsonObject();
      JsonObject status = object(t, "Status");
      tasks.add(
          new SwarmTask(
              t.getString("ID", ""),
              t.getString("ServiceID", ""),
              t.containsKey("Slot") && t.get("Slot").getValueType() == JsonValue.ValueType.NUMBER
                  ? t.getInt("Slot")
                  : 0,
              t.getString("DesiredState", ""),
              status == null ? "" : status.getString("State", ""),
              address(t, network),
              status == null ? "" : text(status, "Err"),
              status == null ? "" : text(status, "Timestamp")));
    }
    return tasks;
  }

  private static String address(JsonObject task, String network) {
    if (!task.containsKey("NetworksAttachments")
        || task.get("NetworksAttachments").getValueType() != JsonValue.ValueType.ARRAY) {
      return "";
    }
    for (JsonValue a : task.getJsonArray("NetworksAttachments")) {
      if (a.getValueType() != JsonValue.ValueType.OBJECT) {
        continue;
      }
      JsonObject net = object(a.asJsonObject(), "Network");
      JsonObject spec = net == null ? null : object(net, "Spec");
      String name = spec == null ? "" : spec.getString("Name", "");
      if (!name.equals(network) || !a.asJsonObject().containsKey("Addresses")) {
        continue;
      }
      for (JsonValue addr : a.asJsonObject().getJsonArray("Addresses")) {
        if (addr.getValueType() == JsonValue.ValueType.STRING) {
          String cidr = ((jakarta.json.JsonString) addr).getString();
          int slash = cidr.indexOf('/');
          return slash < 0 ? cidr : cidr.substring(0, slash);
        }
      }
    }
    return "";
  }

  private static String text(JsonObject o, String key) {
    JsonValue v = o.get(key);
    return v != null && v.getValueType() == JsonValue.ValueType.STRING
        ? ((jakarta.json.JsonString) v).getString()
        : "";
  }

  private static JsonObject object(JsonObject o, String key) {
    JsonValue v = o.get(key);
    return v != null && v.getValueType() == JsonValue.ValueType.OBJECT ? v.asJsonObject() : null;
  }
}
