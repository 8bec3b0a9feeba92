package dev.jakartafaas.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.GatewayRoot;
import dev.jakartafaas.testing.Poll;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /system/secrets} on the gateway WAR as built, on Payara Micro with the process backend:
 * the API's status codes, bad input, a function reading its secret through real replicas, and a
 * marker value that must appear nowhere but in that function's own answer. The deployment adds
 * {@link LogCapture} so that the gateway's log can be searched too.
 */
@ExtendWith(ArquillianExtension.class)
class SecretsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int MAX_VALUE = 500 * 1024;

  @Deployment(testable = false)
  static WebArchive gateway() {
    return ShrinkWrap.create(WebArchive.class, "ROOT.war")
        .merge(
            ShrinkWrap.createFromZipFile(
                WebArchive.class, new File(System.getProperty("gateway.war"))))
        .addClass(LogCapture.class);
  }

  @ArquillianResource URL base;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** The gateway's root on loopback, found once per class ({@link GatewayRoot}). */
  private String root() throws InterruptedException {
    return GatewayRoot.of(getClass(), base, http);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(root() + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null);
  }

  /** Polls {@code condition} until it holds; fails naming {@code what} after a minute. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.untilTrue(WAIT, what, condition);
  }

  private static void assertProblem(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("true", r.headers().firstValue("X-Faas-Internal").orElse(null), r.body());
    assertTrue(r.body().endsWith("\n") && r.body().trim().length() > 5, r.body());
    assertEquals(1, r.body().split("\n").length, r.body());
  }

  private static String quoted(String s) {
    return Json.createValue(s).toString();
  }

  private static String secretBody(String name, String value) {
    return "{\"name\":" + quoted(name) + ",\"value\":" + quoted(value) + "}";
  }

  private List<String> secretNames() throws Exception {
    HttpResponse<String> r = get("/system/secrets");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        r.headers().toString());
    List<String> names = new ArrayList<>();
    for (JsonValue v : Json.createReader(new StringReader(r.body())).readArray()) {
      JsonObject o = v.asJsonObject();
      assertEquals(
          List.of("name", "namespace"), o.keySet().stream().sorted().toList(), "names only");
      assertEquals("openfaas-fn", o.getString("namespace"));
      names.add(o.getString("name"));
    }
    return names;
  }

  private int available(String name) {
    try {
      HttpResponse<String> r = get("/system/function/" + name);
      return r.statusCode() == 200
          ? Json.createReader(new StringReader(r.body())).readObject().getInt("availableReplicas")
          : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  private HttpResponse<String> deploy(String name, String envProcess, String... secrets)
      throws Exception {
    StringBuilder list = new StringBuilder();
    for (String s : secrets) {
      list.append(list.length() == 0 ? "" : ",").append(quoted(s));
    }
    return send(
        "POST",
        "/system/functions",
        "{\"service\":"
            + quoted(name)
            + ",\"envProcess\":"
            + quoted(envProcess)
            + ",\"secrets\":["
            + list
            + "]}");
  }

  private void deleteFunction(String name) throws Exception {
    send("DELETE", "/system/functions", "{\"functionName\":" + quoted(name) + "}");
  }

  private void deleteSecret(String name) throws Exception {
    send("DELETE", "/system/secrets", "{\"name\":" + quoted(name) + "}");
  }

  /** A script the reading function runs: fprocess is split on spaces, without a shell. */
  private static String readerCommand() throws Exception {
    Path script =
        Path.of(System.getProperty("repo.root"), "gateway-war", "target", "it-read-secret.sh");
    Files.writeString(script, "cat \"$secret_mount_path/$1\"\n");
    return "sh " + script.toAbsolutePath().normalize();
  }

  private static int occurrences(String text, String marker) {
    int n = 0;
    for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void createsListsUpdatesAndDeletesWithOpenFaasStatusCodes() throws Exception {
    String name = "it-sec-crud";
    try {
      assertEquals(202, send("POST", "/system/secrets", secretBody(name, "one")).statusCode());
      assertProblem(send("POST", "/system/secrets", secretBody(name, "two")), 409);
      assertTrue(secretNames().contains(name));
      assertEquals(
          202,
          send("PUT", "/system/secrets?namespace=openfaas-fn", secretBody(name, "three"))
              .statusCode());
      assertProblem(send("PUT", "/system/secrets", secretBody("it-sec-absent", "x")), 404);
      String raw =
          // faas-cli secret create --from-file sends the text in value and the bytes in rawValue
          "{\"name\":\"it-sec-raw\",\"namespace\":\"openfaas-fn\",\"value\":\"text\",\"rawValue\":\""
              + Base64.getEncoder().encodeToString(new byte[] {0, 1, (byte) 0xff})
              + "\"}";
      assertEquals(202, send("POST", "/system/secrets", raw).statusCode());
      assertEquals(
          202, send("DELETE", "/system/secrets", "{\"name\":\"it-sec-raw\"}").statusCode());
      assertEquals(
          202, send("DELETE", "/system/secrets", "{\"name\":" + quoted(name) + "}").statusCode());
      assertProblem(send("DELETE", "/system/secrets", "{\"name\":" + quoted(name) + "}"), 404);
      assertFalse(secretNames().contains(name));
      assertProblem(get("/system/secrets?namespace=kube-system"), 404);
      assertProblem(send("POST", "/system/secrets?namespace=other", secretBody(name, "x")), 404);
      assertFalse(secretNames().contains(name), "a refused create creates nothing");
    } finally {
      deleteSecret(name);
      deleteSecret("it-sec-raw");
    }
  }

  @Test
  void acceptsAValueOfExactlyTheLimitAndRefusesOneByteMore() throws Exception {
    try {
      assertEquals(
          202,
          send("POST", "/system/secrets", secretBody("it-sec-big", "x".repeat(MAX_VALUE)))
              .statusCode());
      assertProblem(
          send("POST", "/system/secrets", secretBody("it-sec-bigger", "x".repeat(MAX_VALUE + 1))),
          400);
      assertFalse(secretNames().contains("it-sec-bigger"));
    } finally {
      deleteSecret("it-sec-big");
    }
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "POST|{\"name\":\"../x\",\"value\":\"v\"}|400",
        "POST|{\"name\":\"%2e%2e\",\"value\":\"v\"}|400",
        "POST|{\"name\":\"a/b\",\"value\":\"v\"}|400",
        "POST|{\"name\":\"Upper\",\"value\":\"v\"}|400",
        "POST|{\"name\":\"a234567890123456789012345678901234567890123456789012345678901234\","
            + "\"value\":\"v\"}|400",
        "POST|{\"name\":\"\",\"value\":\"v\"}|400",
        "POST|{\"name\":\"-a\",\"value\":\"v\"}|400",
        "POST|{\"name\":\"ａｂ\",\"value\":\"v\"}|400",
        "POST|{\"name\":\"a\\u0000b\",\"value\":\"v\"}|400",
        "POST|{\"name\":\"it-sec-bad\"}|400",
        "POST|{\"name\":\"it-sec-bad\",\"value\":\"\"}|400",
        "POST|{\"name\":\"it-sec-bad\",\"value\":5}|400",
        "POST|{\"name\":\"it-sec-bad\",\"value\":{\"a\":1}}|400",
        "POST|{\"name\":\"it-sec-bad\",\"rawValue\":\"**\"}|400",
        "POST|{\"name\":\"it-sec-bad\",\"value\":\"v\",\"rawValue\":\"not base64!\"}|400",
        "POST|{\"name\":\"it-sec-bad\",\"value\":\"v\"|400",
        "POST|[\"it-sec-bad\"]|400",
        "POST|not json|400",
        "POST|{\"name\":\"it-sec-bad\",\"value\":\"v\",\"namespace\":\"x\"}|404",
        "PUT|{\"name\":\"../x\",\"value\":\"v\"}|400",
        "PUT|{\"name\":\"it-sec-bad\",\"value\":7}|400",
        "DELETE|{\"name\":\"a/b\"}|400",
        "DELETE|{}|400",
        "DELETE|{\"name\":[\"x\"]}|400",
      })
  void rejectsBadSecretRequestsAndCreatesNothing(String method, String body, int status)
      throws Exception {
    List<String> before = secretNames();
    assertProblem(send(method, "/system/secrets", body), status);
    assertEquals(before, secretNames());
  }

  @Test
  void rejectsEmptyAndDeeplyNestedBodies() throws Exception {
    assertProblem(send("POST", "/system/secrets", ""), 400);
    assertProblem(send("POST", "/system/secrets", "[".repeat(5000) + "]".repeat(5000)), 400);
  }

  @Test
  void refusesADeploymentNamingAMissingOrInvalidSecret() throws Exception {
    assertProblem(deploy("it-sec-orphan", "cat", "it-sec-missing"), 400);
    assertProblem(get("/system/function/it-sec-orphan"), 404);
    assertProblem(deploy("it-sec-orphan", "cat", "../etc"), 400);
    assertProblem(get("/system/function/it-sec-orphan"), 404);
  }

  /**
   * The leak test: a marker value is stored, read by a function through its secret file, and sent
   * in bad requests; it must then appear in no API answer, no log line of the gateway at any level,
   * no replica log line and no metric, only in the answer of the function that reads its file.
   */
  @Test
  void theValueReachesOnlyTheFunctionThatReadsItsFile() throws Exception {
    String marker = "it-marker-" + UUID.randomUUID();
    String secret = "it-sec-db-password";
    String reader = "it-sec-reader";
    String envdump = "it-sec-env";
    Map<String, String> seen = new LinkedHashMap<>();
    try {
      assertEquals(202, send("POST", "/system/secrets", secretBody(secret, marker)).statusCode());
      assertEquals(202, deploy(reader, readerCommand() + " " + secret, secret).statusCode());
      assertEquals(202, deploy(envdump, "env", secret).statusCode());
      await("both functions ready", () -> available(reader) == 1 && available(envdump) == 1);

      HttpResponse<String> read = send("POST", "/function/" + reader, "");
      assertEquals(200, read.statusCode(), read.body());
      assertEquals(marker, read.body(), "the function reads its secret file");

      HttpResponse<String> env = send("POST", "/function/" + envdump, "");
      assertEquals(200, env.statusCode(), env.body());
      assertTrue(env.body().contains("secret_mount_path="), env.body());
      seen.put("the environment of a function using the secret", env.body());

      // bad requests that carry the value
      HttpResponse<String> r = send("POST", "/system/secrets", secretBody(secret, marker));
      assertProblem(r, 409);
      seen.put("409 on a second create", r.body());
      r = send("POST", "/system/secrets", secretBody("Not-Valid", marker));
      assertProblem(r, 400);
      seen.put("400 for an invalid name", r.body());
      r = send("POST", "/system/secrets", "{\"name\":\"it-sec-x\",\"value\":\"" + marker + "\"");
      assertProblem(r, 400);
      seen.put("400 for malformed JSON", r.body());
      r = send("POST", "/system/secrets", "{\"name\":\"it-sec-x\",\"value\":" + marker + "}");
      assertProblem(r, 400);
      seen.put("400 for an unquoted value", r.body());
      r =
          send(
              "POST", "/system/secrets", "{\"name\":\"it-sec-x\",\"rawValue\":\"" + marker + "\"}");
      assertProblem(r, 400);
      seen.put("400 for a value that is not base64", r.body());
      r = send("PUT", "/system/secrets", secretBody("it-sec-absent", marker));
      assertProblem(r, 404);
      seen.put("404 on updating an absent secret", r.body());
      r = send("DELETE", "/system/secrets", "{\"name\":" + quoted(secret) + "}");
      assertProblem(r, 409);
      seen.put("409 on deleting a secret in use", r.body());
      assertEquals(202, send("PUT", "/system/secrets", secretBody(secret, marker)).statusCode());

      for (String path :
          List.of(
              "/system/secrets",
              "/system/functions",
              "/system/function/" + reader,
              "/system/function/" + envdump,
              "/system/logs?name=" + reader,
              "/system/logs?name=" + envdump,
              "/system/info",
              "/metrics",
              "/metrics?scope=application",
              "/ui/")) {
        HttpResponse<String> answer = get(path);
        assertEquals(200, answer.statusCode(), path + ": " + answer.body());
        seen.put(path, answer.body());
      }
      assertTrue(seen.get("/system/logs?name=" + reader).contains("faas: replica ready"));
      JsonArray functions =
          Json.createReader(new StringReader(seen.get("/system/functions"))).readArray();
      assertTrue(functions.toString().contains("\"secrets\":[\"" + secret + "\"]"), "" + functions);

      HttpResponse<String> log = get("/it/log-capture");
      assertEquals(200, log.statusCode());
      assertTrue(
          log.body().contains("secret " + secret + " created"),
          "the capture holds the gateway's log: " + log.body().length() + " characters");
      seen.put("the gateway's log (every level of dev.jakartafaas)", log.body());

      for (Map.Entry<String, String> e : seen.entrySet()) {
        assertEquals(0, occurrences(e.getValue(), marker), e.getKey() + " holds the value");
      }
    } finally {
      deleteFunction(reader);
      deleteFunction(envdump);
      deleteSecret(secret);
    }
    assertFalse(secretNames().contains(secret), "deleted once no function uses it");
  }
}
