package dev.jakartafaas.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Poll;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous invocation ({@code /async-function/}): the callback with the function's result,
 * refused callback targets and requests, a cold start, and two hundred calls each run and called
 * back once.
 */
abstract class AsyncChecks extends GatewayChecks {

  /** A callback receiver on 127.0.0.1 (the only address the tests' allow-list opens). */
  private static final class Callbacks implements AutoCloseable {
    record Received(Map<String, List<String>> headers, String target, String body) {
      String header(String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
          if (h.getKey().equalsIgnoreCase(name)) {
            return h.getValue().get(0);
          }
        }
        return null;
      }
    }

    final com.sun.net.httpserver.HttpServer server;
    final java.util.concurrent.ConcurrentHashMap<String, List<Received>> byCallId =
        new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicInteger total =
        new java.util.concurrent.atomic.AtomicInteger();

    Callbacks() throws java.io.IOException {
      server =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), 0), 0);
      server.createContext(
          "/",
          x -> {
            String body =
                new String(
                    x.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            Received r =
                new Received(
                    new HashMap<>(x.getRequestHeaders()), x.getRequestURI().toString(), body);
            String id = String.valueOf(r.header("X-Call-Id"));
            byCallId
                .computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(r);
            total.incrementAndGet();
            x.sendResponseHeaders(200, -1);
            x.close();
          });
      server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
      server.start();
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
      return server.getAddress().getPort();
    }

    Received await(String callId) throws InterruptedException {
      GatewayChecks.await("the callback of " + callId, () -> byCallId.containsKey(callId));
      return byCallId.get(callId).get(0);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  HttpResponse<String> async(String path, String body, String... headers) throws Exception {
    return send("POST", path, BodyPublishers.ofString(body), headers);
  }

  @Test
  void asyncCallAnswers202AndPostsTheFunctionsResultToTheCallback() throws Exception {
    String name = "it-async-env";
    String failing = "it-async-fail";
    deployAndAwait(name, "env", 1);
    deployAndAwait(failing, "false", 1);
    try (Callbacks callbacks = new Callbacks()) {
      HttpResponse<String> r =
          async(
              "/async-function/" + name + ".openfaas-fn/some/path?q=1",
              "hello",
              "X-Call-Id",
              "async-call-1",
              "Content-Type",
              "text/x-test",
              "X-Forwarded-For",
              "203.0.113.9",
              "X-Callback-Url",
              callbacks.url("/done?token=t1"));
      assertEquals(202, r.statusCode(), r.body());
      assertEquals("async-call-1", r.headers().firstValue("X-Call-Id").orElse(null));

      Callbacks.Received cb = callbacks.await("async-call-1");
      assertEquals("/done?token=t1", cb.target());
      assertEquals("200", cb.header("X-Function-Status"));
      assertEquals(name, cb.header("X-Function-Name"));
      assertTrue(
          cb.header("X-Duration-Seconds").matches("\\d+\\.\\d+"), cb.header("X-Duration-Seconds"));
      // the function saw the call as a synchronous one: path, query, headers, call id, real peer
      assertTrue(cb.body().contains("Http_Path=/some/path"), cb.body());
      assertTrue(cb.body().contains("Http_Query=q=1"), cb.body());
      assertTrue(cb.body().contains("Http_Content_Type=text/x-test"), cb.body());
      assertTrue(cb.body().contains("Http_X_Call_Id=async-call-1"), cb.body());
      assertTrue(cb.body().contains("Http_X_Forwarded_For=203.0.113.9, 127.0.0.1"), cb.body());
      assertTrue(cb.body().contains("Http_Method=POST"), cb.body());

      // a new call id when the caller sends none (or a malformed one)
      HttpResponse<String> fresh =
          async(
              "/async-function/" + name,
              "x",
              "X-Call-Id",
              "bad id!",
              "X-Callback-Url",
              callbacks.url("/"));
      assertEquals(202, fresh.statusCode());
      String freshId = fresh.headers().firstValue("X-Call-Id").orElse("");
      assertTrue(freshId.length() >= 32, freshId);
      assertEquals("200", callbacks.await(freshId).header("X-Function-Status"));

      // the function's failure is reported, not hidden
      HttpResponse<String> f =
          async(
              "/async-function/" + failing,
              "x",
              "X-Call-Id",
              "async-fail-1",
              "X-Callback-Url",
              callbacks.url("/"));
      assertEquals(202, f.statusCode(), f.body());
      Callbacks.Received failed = callbacks.await("async-fail-1");
      assertEquals("500", failed.header("X-Function-Status"));
      // a function's own 500 is final (not retried unless its deployment asks for it)
      assertEquals("1", failed.header("X-Call-Attempts"));
      assertEquals("completed", failed.header("X-Call-State"));
      assertEquals("1", cb.header("X-Call-Attempts"));
      assertEquals("completed", cb.header("X-Call-State"));

      // every call has a record; only a dead one can be re-queued
      await(
          "the record of async-fail-1 ended",
          () -> {
            try {
              return get("/system/async-calls/async-fail-1").body().contains("\"endedAt\"");
            } catch (Exception e) {
              return false;
            }
          });
      HttpResponse<String> record = get("/system/async-calls/async-fail-1");
      assertEquals(200, record.statusCode(), record.body());
      jakarta.json.JsonObject rec = json(record.body());
      assertEquals("completed", rec.getString("state"));
      assertEquals(1, rec.getInt("attempts"));
      assertEquals(500, rec.getInt("lastStatus"));
      assertEquals(failing, rec.getString("function"));
      assertTrue(!rec.containsKey("body"), "no body unless asked: " + record.body());
      HttpResponse<String> listed = get("/system/async-calls?function=" + name);
      assertEquals(200, listed.statusCode(), listed.body());
      assertTrue(listed.body().contains("\"async-call-1\""), listed.body());
      assertProblem(send("POST", "/system/async-calls/async-call-1/retry", ""), 409);
      assertProblem(get("/system/async-calls/no-such-call"), 404);
      assertProblem(get("/system/async-calls?state=lost"), 400);
      assertProblem(get("/system/async-calls/bad%20id"), 400);

      // without a callback the call still runs: the invocation metric counts it
      assertEquals(
          202, async("/async-function/" + name, "", "X-Call-Id", "async-nocb").statusCode());
      Poll.until(
          WAIT,
          "three async calls of " + name + " counted as completed",
          () ->
              Double.valueOf(3)
                  .equals(
                      metric(
                          get("/metrics?scope=application").body(),
                          "gateway_async_calls_total",
                          "function_name",
                          name,
                          "result",
                          "completed")));
      String metrics = get("/metrics?scope=application").body();
      assertEquals(
          3.0,
          metric(
              metrics, "gateway_function_invocation_total", "function_name", name, "code", "200"));
      assertEquals(
          1.0,
          metric(
              metrics,
              "gateway_async_calls_total",
              "function_name",
              failing,
              "result",
              "completed"));
      assertTrue(metrics.contains("gateway_async_queue_depth"), "queue depth is exported");
      assertEquals(3, callbacks.total.get(), "one callback per call with a callback");
    } finally {
      delete(name);
      delete(failing);
    }
  }

  @Test
  void asyncCallbackUrlsToPrivateLoopbackOrNonHttpTargetsAre400AndNothingIsCalled()
      throws Exception {
    String name = "it-async-ssrf";
    deployAndAwait(name, "cat", 1);
    try (Callbacks callbacks = new Callbacks()) {
      int p = callbacks.port();
      for (String url :
          List.of(
              "http://127.0.0.2:" + p + "/",
              "http://[::1]:" + p + "/",
              "http://[::ffff:127.0.0.2]:" + p + "/",
              "http://2130706434:" + p + "/", // a name the resolver turns into 127.0.0.2
              "http://0.0.0.0:" + p + "/",
              "http://10.0.0.1/",
              "http://169.254.169.254/latest/meta-data/",
              "http://192.168.1.1/",
              "http://100.64.0.1/",
              "http://[fd00::1]/",
              "http://[fe80::1]/",
              "http://224.0.0.1/")) {
        HttpResponse<String> r = async("/async-function/" + name, "x", "X-Callback-Url", url);
        assertProblem(r, 400);
        assertTrue(r.body().contains("faas.async.callback-allow"), url + ": " + r.body());
      }
      for (String url :
          List.of(
              "file:///etc/passwd",
              "gopher://127.0.0.1:" + p + "/_x",
              "ftp://127.0.0.1:" + p + "/",
              "http://user:pw@127.0.0.1:" + p + "/",
              "not a url",
              "http:///x")) {
        HttpResponse<String> r = async("/async-function/" + name, "x", "X-Callback-Url", url);
        assertProblem(r, 400);
        assertTrue(r.body().contains("X-Callback-Url refused"), url + ": " + r.body());
      }
      // the allow-listed receiver works, and it is the only request it ever got
      assertEquals(
          202,
          async(
                  "/async-function/" + name,
                  "ok",
                  "X-Call-Id",
                  "ssrf-ok",
                  "X-Callback-Url",
                  callbacks.url("/"))
              .statusCode());
      assertEquals("ok", callbacks.await("ssrf-ok").body());
      assertEquals(1, callbacks.total.get());
    } finally {
      delete(name);
    }
  }

  @Test
  void asyncRefusesUnknownFunctionsBadNamesOtherMethodsAndOversizedBodies() throws Exception {
    String name = "it-async-bad";
    deployAndAwait(name, "cat", 1);
    try {
      assertProblem(async("/async-function/it-async-none", "x"), 404);
      assertProblem(async("/async-function/" + name + ".other-ns", "x"), 404);
      for (String bad : List.of("Upper", "-a", "a_b", "x".repeat(64))) {
        assertProblem(async("/async-function/" + bad, "x"), 400);
      }
      assertProblem(async("/async-function/", "x"), 400);
      for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
        HttpResponse<String> r = send(method, "/async-function/" + name, "x");
        assertProblem(r, 405);
      }
      byte[] over = new byte[8 * 1024 * 1024 + 1];
      HttpResponse<String> big =
          send("POST", "/async-function/" + name, BodyPublishers.ofByteArray(over));
      assertProblem(big, 413);
    } finally {
      delete(name);
    }
  }

  @Test
  void asyncCallToAFunctionAtZeroStartsItAndTheCallbackArrives() throws Exception {
    String name = "it-async-zero";
    deploy(
        name,
        "cat",
        "{}",
        "{\"com.openfaas.scale.zero\":\"true\",\"com.openfaas.scale.zero-duration\":\"1h\"}");
    try (Callbacks callbacks = new Callbacks()) {
      await(name + " has a ready replica", () -> available(name) == 1);
      scale(name, 0);
      await(name + " is at 0", () -> available(name) == 0 && desired(name) == 0);
      HttpResponse<String> r =
          async(
              "/async-function/" + name,
              "wake up",
              "X-Call-Id",
              "zero-1",
              "X-Callback-Url",
              callbacks.url("/"));
      assertEquals(202, r.statusCode(), r.body());
      Callbacks.Received cb = callbacks.await("zero-1");
      assertEquals("200", cb.header("X-Function-Status"));
      assertEquals("wake up", cb.body());
      assertEquals(1, available(name), "started by the queued call");
    } finally {
      delete(name);
    }
  }

  @Test
  void asyncCallsTwoHundredInARowEachRunAndCallBackExactlyOnce() throws Exception {
    String name = "it-async-bulk";
    int calls = 200;
    deployAndAwait(name, "cat", 1);
    try (Callbacks callbacks = new Callbacks()) {
      for (int i = 0; i < calls; i++) {
        HttpResponse<String> r =
            async(
                "/async-function/" + name,
                "body-" + i,
                "X-Call-Id",
                "bulk-" + i,
                "X-Callback-Url",
                callbacks.url("/"));
        assertEquals(202, r.statusCode(), r.body());
      }
      await("all " + calls + " callbacks", () -> callbacks.byCallId.size() == calls);
      Poll.until(
          WAIT,
          "all " + calls + " calls counted",
          () ->
              Double.valueOf(calls)
                  .equals(
                      metric(
                          get("/metrics?scope=application").body(),
                          "gateway_async_calls_total",
                          "function_name",
                          name,
                          "result",
                          "completed")));
      for (int i = 0; i < calls; i++) {
        List<Callbacks.Received> got = callbacks.byCallId.get("bulk-" + i);
        assertEquals(1, got.size(), "bulk-" + i);
        assertEquals("body-" + i, got.get(0).body());
        assertEquals("200", got.get(0).header("X-Function-Status"));
      }
      assertEquals(calls, callbacks.total.get());
    } finally {
      delete(name);
    }
  }
}
