package dev.jakartafaas.functions.control;

import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.functions.entity.Resources;
import dev.jakartafaas.functions.entity.ScaleRequest;
import dev.jakartafaas.problems.entity.InvalidInputException;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the OpenFaaS JSON documents. Every rejection names the field and what was
 * expected, so a client sees a 400 with a message it can act on.
 */
public final class FunctionJson {

  private static final JsonProvider JSON = JsonProvider.provider();

  private FunctionJson() {}

  /** Parses a deploy or update body. */
  public static FunctionDeployment deployment(byte[] body) {
    JsonObject o = JsonBody.object(body);
    FunctionNames.requireNamespace(JsonBody.string(o, "namespace"));
    String service = JsonBody.string(o, "service");
    if (service == null || service.isEmpty()) {
      throw new InvalidInputException("field 'service' is required: the function's name");
    }
    FunctionNames.require(service);
    return new FunctionDeployment(
        service,
        JsonBody.string(o, "image"),
        JsonBody.string(o, "envProcess"),
        JsonBody.stringMap(o, "envVars"),
        JsonBody.stringMap(o, "labels"),
        JsonBody.stringMap(o, "annotations"),
        secretNames(JsonBody.stringList(o, "secrets")),
        JsonBody.stringList(o, "constraints"),
        resources(o, "limits"),
        resources(o, "requests"),
        JsonBody.bool(o, "readOnlyRootFilesystem"));
  }

  /** Parses a scale body; the name in the path must match {@code serviceName} when given. */
  public static ScaleRequest scaleRequest(String pathName, byte[] body, int maxReplicas) {
    JsonObject o = JsonBody.object(body);
    FunctionNames.requireNamespace(JsonBody.string(o, "namespace"));
    String serviceName = JsonBody.string(o, "serviceName");
    if (serviceName != null && !serviceName.isEmpty() && !serviceName.equals(pathName)) {
      throw new InvalidInputException(
          "field 'serviceName' ("
              + FunctionNames.printable(serviceName)
              + ") does not match the function in the path ("
              + pathName
              + ")");
    }
    JsonValue v = o.get("replicas");
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      throw new InvalidInputException("field 'replicas' is required: the number of replicas");
    }
    if (!(v instanceof JsonNumber n) || !n.isIntegral()) {
      throw new InvalidInputException("field 'replicas' must be a whole number");
    }
    long replicas;
    try {
      replicas = n.longValueExact();
    } catch (ArithmeticException e) {
      replicas = Long.MAX_VALUE;
    }
    if (replicas < 0 || replicas > maxReplicas) {
      throw new InvalidInputException(
          "field 'replicas' must be between 0 and " + maxReplicas + ", not " + n);
    }
    return new ScaleRequest(pathName, (int) replicas);
  }

  /** Parses a delete body and returns the function's name. */
  public static String deleteRequest(byte[] body) {
    JsonObject o = JsonBody.object(body);
    FunctionNames.requireNamespace(JsonBody.string(o, "namespace"));
    String name = JsonBody.string(o, "functionName");
    if (name == null || name.isEmpty()) {
      throw new InvalidInputException("field 'functionName' is required: the function to delete");
    }
    return FunctionNames.require(name);
  }

  /** The FunctionStatus document of the API. */
  public static JsonObject status(FunctionState state, long invocationCount) {
    return status(state, invocationCount, Optional.empty());
  }

  /**
   * The FunctionStatus document of the API, with {@code nextRun} when the function is on a
   * schedule.
   */
  public static JsonObject status(
      FunctionState state, long invocationCount, Optional<Instant> nextRun) {
    JsonObjectBuilder b =
        deploymentBuilder(state.deployment())
            .add("namespace", FunctionNames.NAMESPACE)
            .add("name", state.name())
            .add("invocationCount", invocationCount)
            .add("replicas", state.replicas())
            .add("availableReplicas", state.availableReplicas())
            .add("createdAt", state.createdAt().toString());
    nextRun.ifPresent(at -> b.add("nextRun", at.toString()));
    if (state.problem() != null) {
      b.add(
          "problem",
          JSON.createObjectBuilder()
              .add("reason", state.problem().reason())
              .add("attempts", state.problem().attempts())
              .add("at", state.problem().at().toString()));
    }
    return b.build();
  }

  /** The deployment as a FunctionDeployment document, as clients send it. */
  public static JsonObject deploymentJson(FunctionDeployment d) {
    return deploymentBuilder(d).add("namespace", FunctionNames.NAMESPACE).build();
  }

  /** The stored form of a function: its deployment, desired replicas and creation time. */
  public static String stored(FunctionDeployment d, int replicas, Instant createdAt) {
    return JSON.createObjectBuilder()
        .add("deployment", deploymentJson(d))
        .add("replicas", replicas)
        .add("createdAt", createdAt.toString())
        .build()
        .toString();
  }

  /** Reads back what {@link #stored} wrote; the state's availableReplicas is 0. */
  public static FunctionState fromStored(String text) {
    JsonObject o;
    try (JsonReader r = JSON.createReader(new StringReader(text))) {
      o = r.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new InvalidInputException("stored function is not valid JSON: " + oneLine(e));
    }
    if (!(o.get("deployment") instanceof JsonObject d)) {
      throw new InvalidInputException("stored function has no 'deployment' object");
    }
    FunctionDeployment deployment = deployment(d.toString().getBytes(StandardCharsets.UTF_8));
    int replicas = o.getInt("replicas", 1);
    Instant createdAt;
    try {
      createdAt = Instant.parse(o.getString("createdAt", Instant.EPOCH.toString()));
    } catch (DateTimeParseException e) {
      createdAt = Instant.EPOCH;
    }
    return new FunctionState(deployment, Math.max(0, replicas), 0, createdAt);
  }

  private static JsonObjectBuilder deploymentBuilder(FunctionDeployment d) {
    JsonObjectBuilder b =
        JSON.createObjectBuilder()
            .add("service", d.service())
            .add("image", d.image())
            .add("envProcess", d.envProcess())
            .add("envVars", map(d.envVars()))
            .add("labels", map(d.labels()))
            .add("annotations", map(d.annotations()))
            .add("secrets", list(d.secrets()))
            .add("constraints", list(d.constraints()))
            .add("readOnlyRootFilesystem", d.readOnlyRootFilesystem());
    if (d.limits() != null) {
      b.add("limits", resources(d.limits()));
    }
    if (d.requests() != null) {
      b.add("requests", resources(d.requests()));
    }
    return b;
  }

  /** Secret names follow the function name rules; each may be named once. */
  private static List<String> secretNames(List<String> names) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!FunctionNames.isValid(name)) {
        throw new InvalidInputException(
            "field 'secrets' holds an invalid secret name '"
                + FunctionNames.printable(name)
                + "': use at most 63 lower-case letters, digits and '-', starting and ending with a"
                + " letter or digit");
      }
      if (!seen.add(name)) {
        throw new InvalidInputException("field 'secrets' names secret " + name + " twice");
      }
    }
    return names;
  }

  private static Resources resources(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (!(v instanceof JsonObject r)) {
      throw new InvalidInputException(
          "field '"
              + field
              + "' must be an object such as {\"memory\": \"64Mi\", \"cpu\": \"0.5\"}");
    }
    return new Resources(JsonBody.string(r, "memory"), JsonBody.string(r, "cpu"));
  }

  private static JsonObject resources(Resources r) {
    JsonObjectBuilder b = JSON.createObjectBuilder();
    if (r.memory() != null) {
      b.add("memory", r.memory());
    }
    if (r.cpu() != null) {
      b.add("cpu", r.cpu());
    }
    return b.build();
  }

  private static JsonObjectBuilder map(Map<String, String> m) {
    JsonObjectBuilder b = JSON.createObjectBuilder();
    new TreeMap<>(m).forEach(b::add);
    return b;
  }

  private static JsonArrayBuilder list(List<String> l) {
    JsonArrayBuilder b = JSON.createArrayBuilder();
    l.forEach(b::add);
    return b;
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replaceAll("[\\r\\n]+", " ");
  }
}
