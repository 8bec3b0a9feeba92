package dev.jakartafaas.functions.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.functions.entity.Resources;
import dev.jakartafaas.problems.entity.FaasException;
import dev.jakartafaas.problems.entity.InvalidInputException;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FunctionJsonTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsEveryFieldOfAFunctionDeployment() {
    FunctionDeployment d =
        FunctionJson.deployment(
            bytes(
                """
                {"service": "wordcount", "image": "functions/alpine:latest", "namespace": "openfaas-fn",
                 "envProcess": "wc", "envVars": {"write_debug": "true"},
                 "labels": {"com.openfaas.scale.max": "10"}, "annotations": {"topic": "a"},
                 "secrets": ["s1"], "constraints": ["node.platform.os == linux"],
                 "limits": {"memory": "64Mi", "cpu": "0.5"}, "requests": {"memory": "32Mi"},
                 "readOnlyRootFilesystem": true, "network": "func_functions"}
                """));
    assertEquals("wordcount", d.service());
    assertEquals("functions/alpine:latest", d.image());
    assertEquals("wc", d.envProcess());
    assertEquals(Map.of("write_debug", "true"), d.envVars());
    assertEquals(Map.of("com.openfaas.scale.max", "10"), d.labels());
    assertEquals(Map.of("topic", "a"), d.annotations());
    assertEquals(List.of("s1"), d.secrets());
    assertEquals(List.of("node.platform.os == linux"), d.constraints());
    assertEquals(new Resources("64Mi", "0.5"), d.limits());
    assertEquals(new Resources("32Mi", null), d.requests());
    assertTrue(d.readOnlyRootFilesystem());
  }

  @Test
  void treatsAbsentAndNullFieldsAsEmpty() {
    FunctionDeployment d =
        FunctionJson.deployment(bytes("{\"service\": \"echoit\", \"envVars\": null}"));
    assertEquals("", d.image());
    assertEquals("", d.envProcess());
    assertEquals(Map.of(), d.envVars());
    assertEquals(List.of(), d.secrets());
    assertNull(d.limits());
    assertFalse(d.readOnlyRootFilesystem());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{}| field 'service' is required",
        "{\"service\": \"\"}| field 'service' is required",
        "{\"service\": 5}| field 'service' must be a string",
        "{\"service\": \"Echo\"}| invalid function name 'Echo'",
        "{\"service\": \"a/b\"}| invalid function name 'a/b'",
        "{\"service\": \"x\", \"envVars\": []}| field 'envVars' must be an object of strings",
        "{\"service\": \"x\", \"envVars\": {\"a\": 1}}| field 'envVars.a' must be a string",
        "{\"service\": \"x\", \"labels\": \"a=b\"}| field 'labels' must be an object of strings",
        "{\"service\": \"x\", \"secrets\": \"s\"}| field 'secrets' must be an array of strings",
        "{\"service\": \"x\", \"secrets\": [1]}| field 'secrets' must be an array of strings",
        "{\"service\": \"x\", \"secrets\": [\"../db\"]}| field 'secrets' holds an invalid secret"
            + " name '../db'",
        "{\"service\": \"x\", \"secrets\": [\"\"]}| field 'secrets' holds an invalid secret name",
        "{\"service\": \"x\", \"secrets\": [\"Db\"]}| field 'secrets' holds an invalid secret name",
        "{\"service\": \"x\", \"secrets\": [\"db\", \"db\"]}| field 'secrets' names secret db"
            + " twice",
        "{\"service\": \"x\", \"limits\": 5}| field 'limits' must be an object",
        "{\"service\": \"x\", \"limits\": {\"memory\": 64}}| field 'memory' must be a string",
        "{\"service\": \"x\", \"readOnlyRootFilesystem\": \"yes\"}| field 'readOnlyRootFilesystem'"
            + " must be true or false",
        "{\"service\": \"x\"| request body is not valid JSON",
        "not json| request body is not valid JSON",
        "[1, 2]| request body must be a JSON object, not array",
        "\"echoit\"| request body must be a JSON object, not string",
      })
  void rejectsBadDeploymentsWithAMessageNamingTheProblem(String body, String message) {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> FunctionJson.deployment(bytes(body)));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void rejectsAnEmptyBody() {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> FunctionJson.deployment(new byte[0]));
    assertEquals("request body is empty: a JSON object is expected", e.getMessage());
  }

  @Test
  void rejectsDeeplyNestedDocumentsBeforeParsing() {
    String deep = "{\"service\": \"x\", \"a\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> FunctionJson.deployment(bytes(deep)));
    assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
  }

  @Test
  void answers404ForAnotherNamespaceInTheBody() {
    FaasException e =
        assertThrows(
            FaasException.class,
            () -> FunctionJson.deployment(bytes("{\"service\":\"x\",\"namespace\":\"dev\"}")));
    assertEquals(404, e.status());
  }

  @ParameterizedTest(name = "{0} -> depth {1}")
  @CsvSource(
      delimiter = '|',
      value = {"{}|1", "{\"a\":[{}]}|3", "{\"a\":\"[[[{{{\"}|1", "{\"a\":\"\\\"[[\"}|1", "5|0"})
  void measuresNestingOutsideStrings(String json, int depth) {
    assertEquals(depth, JsonBody.depth(bytes(json)));
  }

  @Test
  void refusesBodiesOverTheLimit() {
    byte[] body = new byte[1025];
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> JsonBody.read(new ByteArrayInputStream(body), 1024));
    assertEquals("request body is larger than 1024 bytes", e.getMessage());
    assertEquals(1024, JsonBody.read(new ByteArrayInputStream(new byte[1024]), 1024).length);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"serviceName\": \"echoit\", \"replicas\": 3}|3",
        "{\"replicas\": 0}|0",
        "{\"serviceName\": \"\", \"replicas\": 100, \"namespace\": \"openfaas-fn\"}|100",
      })
  void readsScaleRequests(String body, int replicas) {
    assertEquals(replicas, FunctionJson.scaleRequest("echoit", bytes(body), 100).replicas());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"serviceName\": \"other\", \"replicas\": 3}|does not match",
        "{\"serviceName\": \"echoit\"}|field 'replicas' is required",
        "{\"replicas\": \"3\"}|field 'replicas' must be a whole number",
        "{\"replicas\": 1.5}|field 'replicas' must be a whole number",
        "{\"replicas\": -1}|field 'replicas' must be between 0 and 100",
        "{\"replicas\": 101}|field 'replicas' must be between 0 and 100",
        "{\"replicas\": 99999999999999999999}|field 'replicas' must be between 0 and 100",
      })
  void rejectsBadScaleRequests(String body, String message) {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> FunctionJson.scaleRequest("echoit", bytes(body), 100));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void readsDeleteRequests() {
    assertEquals("echoit", FunctionJson.deleteRequest(bytes("{\"functionName\": \"echoit\"}")));
    assertThrows(InvalidInputException.class, () -> FunctionJson.deleteRequest(bytes("{}")));
    assertThrows(
        InvalidInputException.class,
        () -> FunctionJson.deleteRequest(bytes("{\"functionName\": \"../x\"}")));
  }

  @Test
  void writesTheFunctionStatusWithOpenFaasFieldNames() {
    FunctionDeployment d =
        FunctionDeployment.of("echoit", "cat").withLabels(Map.of("com.openfaas.scale.max", "10"));
    JsonObject o =
        FunctionJson.status(new FunctionState(d, 3, 2, Instant.parse("2025-01-02T03:04:05Z")), 7);
    assertEquals("echoit", o.getString("name"));
    assertEquals("openfaas-fn", o.getString("namespace"));
    assertEquals("cat", o.getString("envProcess"));
    assertEquals(3, o.getInt("replicas"));
    assertEquals(2, o.getInt("availableReplicas"));
    assertEquals(7, o.getJsonNumber("invocationCount").longValue());
    assertEquals("2025-01-02T03:04:05Z", o.getString("createdAt"));
    assertEquals("10", o.getJsonObject("labels").getString("com.openfaas.scale.max"));
  }

  @Test
  void storedFormRoundTrips() {
    FunctionDeployment d =
        new FunctionDeployment(
            "wc",
            "img",
            "wc -l",
            Map.of("A", "1"),
            Map.of("l", "v"),
            Map.of("an", "x"),
            List.of("s"),
            List.of("c"),
            new Resources("1Mi", "1"),
            null,
            true);
    Instant created = Instant.parse("2025-01-02T03:04:05.123Z");
    FunctionState back = FunctionJson.fromStored(FunctionJson.stored(d, 4, created));
    assertEquals(d, back.deployment());
    assertEquals(4, back.replicas());
    assertEquals(created, back.createdAt());
  }
}
