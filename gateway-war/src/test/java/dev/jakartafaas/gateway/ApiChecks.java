package dev.jakartafaas.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The management API and the gateway's own answers: bad names and bad requests that create nothing,
 * container errors, too long heads, every platform error in one format, the info, namespace,
 * health, log and root routes.
 */
abstract class ApiChecks extends GatewayChecks {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "dot segments|../x",
        "encoded dots|%2e%2e",
        "slash|a%2Fb",
        "uppercase|Abc",
        "64 characters|a234567890123456789012345678901234567890123456789012345678901234",
        "leading hyphen|-a",
        "full-width letters|%EF%BD%81%EF%BD%82",
        "NUL|a%00b",
        "space|a%20b",
      })
  void invalidNamesAreRefusedEverywhereAndCreateNothing(String what, String name) throws Exception {
    String json = java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
    String quoted = Json.createValue(json).toString();
    List<HttpResponse<String>> answers =
        List.of(
            send(
                "POST", "/system/functions", "{\"service\":" + quoted + ",\"envProcess\":\"cat\"}"),
            send("PUT", "/system/functions", "{\"service\":" + quoted + ",\"envProcess\":\"cat\"}"),
            send("DELETE", "/system/functions", "{\"functionName\":" + quoted + "}"),
            send("POST", "/function/" + name, "x"),
            send("GET", "/system/function/" + name, null),
            send("POST", "/system/scale-function/" + name, "{\"replicas\":1}"),
            send("GET", "/system/logs?name=" + name, null));
    for (HttpResponse<String> r : answers) {
      assertTrue(
          r.statusCode() == 400 || r.statusCode() == 404,
          what + ": " + r.statusCode() + " " + r.body());
    }
    String list = get("/system/functions").body();
    assertFalse(list.contains(quoted), list);
  }

  @Test
  void containerErrorsAreOneLineTextWithoutServerNames() throws Exception {
    HttpResponse<String> missing = get("/ui/no-such-file.css");
    assertProblem(missing, 404);
    HttpResponse<String> trace = send("TRACE", "/system/functions", "");
    assertTrue(trace.statusCode() == 405 || trace.statusCode() == 400, "TRACE is refused");
    for (HttpResponse<String> r : List.of(missing, trace, get("/healthz"), get("/ui/"))) {
      String all = r.headers().map() + r.body();
      assertFalse(all.toLowerCase(java.util.Locale.ROOT).contains("payara"), all);
      assertFalse(all.contains("X-Powered-By"), all);
      assertTrue(r.headers().firstValue("Server").isEmpty(), all);
    }
  }

  @Test
  void tooLongAddressesAndHeadersGet414And431WithAMessage() throws Exception {
    String name = "it-long";
    deployAndAwait(name, "cat", 1);
    try {
      HttpResponse<String> address =
          send("POST", "/function/" + name + "?q=" + "a".repeat(9000), "x");
      assertProblem(address, 414);
      assertTrue(address.body().contains("characters long"), address.body());
      HttpResponse<String> headers =
          send(
              "POST",
              "/function/" + name,
              BodyPublishers.ofString("x"),
              "X-Big",
              "b".repeat(70000));
      assertProblem(headers, 431);
      // just below the limits the call goes through
      HttpResponse<String> fits =
          send("POST", "/function/" + name + "?q=" + "a".repeat(8000), "fits");
      assertEquals(200, fits.statusCode(), fits.body());
      assertEquals("fits", fits.body());
    } finally {
      delete(name);
    }
  }

  @Test
  void answersEveryPlatformErrorWithItsStatusAndAOneLineMessage() throws Exception {
    String name = "it-errors";
    deployAndAwait(name, "cat", 1);
    try {
      HttpResponse<String> dup =
          send(
              "POST", "/system/functions", "{\"service\":\"" + name + "\",\"envProcess\":\"cat\"}");
      assertProblem(dup, 409);
    } finally {
      delete(name);
    }
  }

  @Test
  void deployingACommandThatDoesNotExistIs400NamingItAndChangesNothing() throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/system/functions",
            "{\"service\":\"it-nocmd\",\"envProcess\":\"no-such-command\"}");
    assertProblem(r, 400);
    assertTrue(r.body().contains("'no-such-command'"), r.body());
    assertEquals(404, get("/system/function/it-nocmd").statusCode());
    String name = "it-nocmd-update";
    deployAndAwait(name, "cat", 1);
    try {
      HttpResponse<String> u =
          send(
              "PUT",
              "/system/functions",
              "{\"service\":\"" + name + "\",\"envProcess\":\"no-such-command --flag\"}");
      assertProblem(u, 400);
      assertTrue(u.body().contains("'no-such-command'"), u.body());
      assertEquals("cat", json(get("/system/function/" + name).body()).getString("envProcess"));
      assertEquals("still here", send("POST", "/function/" + name, "still here").body());
    } finally {
      delete(name);
    }
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET|/function/it-never-deployed||404",
        "POST|/function/Bad-Name|x|400",
        "POST|/function/%2e%2e|x|404",
        "POST|/function/..%2fsystem%2ffunctions|x|404",
        "POST|/function/it-x.other-namespace|x|404",
        "POST|/system/functions|{bad|400",
        "POST|/system/functions|[]|400",
        "POST|/system/functions||400",
        "POST|/system/functions|{}|400",
        "POST|/system/functions|{\"service\": 5}|400",
        "POST|/system/functions|{\"service\": \"It-Upper\", \"envProcess\": \"cat\"}|400",
        "POST|/system/functions|{\"service\": \"it-nocmd\"}|400",
        "POST|/system/functions|{\"service\": \"it-x\", \"envProcess\": \"cat\", \"labels\": []}|400",
        "POST|/system/functions|{\"service\": \"it-x\", \"envProcess\": \"cat\", \"namespace\": \"dev\"}|404",
        "POST|/system/functions?namespace=dev|{\"service\": \"it-x\", \"envProcess\": \"cat\"}|404",
        "PUT|/system/functions|{\"service\": \"it-absent\", \"envProcess\": \"cat\"}|404",
        "DELETE|/system/functions|{\"functionName\": \"it-absent\"}|404",
        "DELETE|/system/functions|{}|400",
        "GET|/system/function/it-absent||404",
        "GET|/system/function/Bad||400",
        "GET|/system/functions?namespace=kube-system||404",
        "POST|/system/scale-function/it-absent|{\"replicas\": 2}|404",
        "POST|/system/scale-function/it-absent|{\"replicas\": -1}|400",
        "POST|/system/scale-function/it-absent|{\"replicas\": \"2\"}|400",
        "GET|/system/logs||400",
        "GET|/system/logs?name=it-absent||404",
        "GET|/system/logs?name=it-absent&tail=x||400",
        "GET|/system/no-such-route||404",
        "DELETE|/system/info||405",
      })
  void rejectsBadRequestsAndCreatesNothing(String method, String path, String body, int status)
      throws Exception {
    assertProblem(send(method, path, body), status);
    String list = get("/system/functions").body();
    for (String created : List.of("it-x", "it-nocmd", "it-absent", "it-upper")) {
      assertFalse(list.contains("\"" + created + "\""), list);
    }
  }

  @Test
  void rejectsOversizedAndDeeplyNestedJson() throws Exception {
    String oversized =
        "{\"service\":\"it-big\",\"envProcess\":\"cat\",\"labels\":{\"a\":\""
            + "x".repeat(300_000)
            + "\"}}";
    HttpResponse<String> big = send("POST", "/system/functions", oversized);
    assertProblem(big, 400);
    assertTrue(big.body().contains("larger than"), big.body());
    String deep = "{\"service\":\"it-deep\",\"a\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}";
    assertProblem(send("POST", "/system/functions", deep), 400);
    assertFalse(get("/system/functions").body().contains("it-big"));
  }

  @Test
  void servesInfoNamespacesHealthLogsAndTheRootRedirect() throws Exception {
    JsonObject info = json(get("/system/info").body());
    assertEquals("process", info.getJsonObject("provider").getString("orchestration"));
    assertEquals("jakarta-faas", info.getJsonObject("provider").getString("provider"));
    assertNotNull(info.getJsonObject("version").getString("release"));

    assertEquals("[\"openfaas-fn\"]", get("/system/namespaces").body());
    HttpResponse<String> health = get("/healthz");
    assertEquals(200, health.statusCode());

    assertEquals(405, send("TRACE", "/function/it-x", (String) null).statusCode());

    HttpResponse<String> root = get("/");
    assertEquals(302, root.statusCode());
    assertTrue(root.headers().firstValue("Location").orElse("").endsWith("/ui/"));

    String name = "it-logs";
    deployAndAwait(name, "cat", 1);
    try {
      HttpResponse<String> logs = get("/system/logs?name=" + name + ".openfaas-fn&tail=50");
      assertEquals(200, logs.statusCode());
      assertTrue(
          logs.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
      String[] lines = logs.body().split("\n");
      assertTrue(lines.length >= 2, logs.body());
      for (String line : lines) {
        JsonObject o = json(line);
        assertEquals(name, o.getString("name"));
        assertTrue(o.getString("instance").startsWith(name + "-"));
        assertNotNull(o.getString("timestamp"));
        assertTrue(o.get("text").getValueType() == JsonValue.ValueType.STRING);
      }
    } finally {
      delete(name);
    }
  }
}
