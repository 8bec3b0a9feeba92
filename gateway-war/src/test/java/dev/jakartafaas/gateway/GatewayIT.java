package dev.jakartafaas.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.GatewayRoot;
import dev.jakartafaas.testing.Needs;
import dev.jakartafaas.testing.Poll;
import dev.jakartafaas.testing.ProcFs;
import dev.jakartafaas.testing.Trees;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The gateway WAR as built, on Payara Micro, with the process backend starting real watchdog
 * replicas. Every test uses its own functions and removes them.
 */
@ExtendWith(ArquillianExtension.class)
class GatewayIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Deployment(testable = false)
  static WebArchive gateway() {
    return ShrinkWrap.create(WebArchive.class, "ROOT.war")
        .merge(
            ShrinkWrap.createFromZipFile(
                WebArchive.class, new File(System.getProperty("gateway.war"))));
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

  private HttpResponse<String> send(
      String method, String path, BodyPublisher body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(root() + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, body);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(
        method, path, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, (String) null);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(WAIT, what, condition);
  }

  /** Polls {@code condition} until it holds; fails naming {@code what} after {@code limit}. */
  private static void await(Duration limit, String what, BooleanSupplier condition)
      throws InterruptedException {
    Poll.untilTrue(limit, what, condition);
  }

  /** The first sample of a Prometheus instant query, 0 when it has none yet. */
  private double prometheusValue(String queryUrl) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(queryUrl)).timeout(Duration.ofSeconds(10)).build(),
            BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      return 0;
    }
    JsonArray result =
        Json.createReader(new StringReader(answer.body()))
            .readObject()
            .getJsonObject("data")
            .getJsonArray("result");
    return result.isEmpty()
        ? 0
        : Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1));
  }

  private int available(String name) {
    try {
      HttpResponse<String> r = get("/system/function/" + name);
      return r.statusCode() == 200 ? json(r.body()).getInt("availableReplicas") : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  private void deploy(String name, String envProcess) throws Exception {
    deploy(name, envProcess, "{}");
  }

  /** Deploys with {@code envVars}, given as a JSON object. */
  private void deploy(String name, String envProcess, String envVarsJson) throws Exception {
    deploy(name, envProcess, envVarsJson, "{}");
  }

  /** Deploys with {@code envVars} and {@code labels}, each given as a JSON object. */
  private void deploy(String name, String envProcess, String envVarsJson, String labelsJson)
      throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/system/functions",
            "{\"service\":\""
                + name
                + "\",\"envProcess\":\""
                + envProcess
                + "\",\"envVars\":"
                + envVarsJson
                + ",\"labels\":"
                + labelsJson
                + "}");
    assertEquals(202, r.statusCode(), r.body());
  }

  private void deployAndAwait(String name, String envProcess, int replicas) throws Exception {
    deploy(name, envProcess);
    if (replicas != 1) {
      scale(name, replicas);
    }
    await(name + " has " + replicas + " ready replicas", () -> available(name) == replicas);
  }

  private void scale(String name, int replicas) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/system/scale-function/" + name,
            "{\"serviceName\":\"" + name + "\",\"replicas\":" + replicas + "}");
    assertEquals(202, r.statusCode(), r.body());
  }

  private void delete(String name) throws Exception {
    send("DELETE", "/system/functions", "{\"functionName\":\"" + name + "\"}");
  }

  private static void assertProblem(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("true", r.headers().firstValue("X-Faas-Internal").orElse(null), r.body());
    assertTrue(r.body().endsWith("\n") && r.body().trim().length() > 5, r.body());
    assertEquals(1, r.body().split("\n").length, r.body());
  }

  /** Pids of a function's replicas as its log reports them. */
  private List<Long> replicaPids(String name) throws Exception {
    Matcher m =
        Pattern.compile("replica started, pid (\\d+)")
            .matcher(get("/system/logs?name=" + name).body());
    ArrayList<Long> pids = new ArrayList<>();
    while (m.find()) {
      pids.add(Long.parseLong(m.group(1)));
    }
    return pids;
  }

  /**
   * The value of the one series of {@code name} in Prometheus text whose labels include these
   * pairs, or null when there is none.
   */
  private static Double metric(String text, String name, String... labels) {
    Double value = null;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      int close = line.lastIndexOf('}');
      String set = line.substring(name.length() + 1, close);
      boolean all = true;
      for (int i = 0; i < labels.length; i += 2) {
        all &= (',' + set + ',').contains("," + labels[i] + "=\"" + labels[i + 1] + "\",");
      }
      if (all) {
        if (value != null) {
          throw new AssertionError("more than one series " + name + " " + List.of(labels));
        }
        value = Double.parseDouble(line.substring(close + 1).trim().split(" ")[0]);
      }
    }
    return value;
  }

  @Test
  void exportsOpenFaasMetricsForDeployedFunctionsOnly() throws Exception {
    String name = "it-metrics";
    deployAndAwait(name, "cat", 1);
    try {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, send("POST", "/function/" + name, "m" + i).statusCode());
      }
      long seriesBefore = get("/metrics?scope=application").body().lines().count();
      // 10 000 calls to names never deployed, 50 at a time: each is 404 and adds no series
      for (int batch = 0; batch < 200; batch++) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          calls.add(
              http.sendAsync(
                  HttpRequest.newBuilder(
                          URI.create(root() + "/function/it-unknown-" + (batch * 50 + i)))
                      .timeout(Duration.ofSeconds(60))
                      .POST(BodyPublishers.ofString("x"))
                      .build(),
                  BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
          assertProblem(call.get(90, TimeUnit.SECONDS), 404);
        }
      }
      assertProblem(send("POST", "/function/it-unknown-x", "x"), 404);
      HttpResponse<String> r = get("/metrics?scope=application");
      assertEquals(
          seriesBefore,
          r.body().lines().count(),
          "calls to unknown functions added no series (one call to a known one neither)");
      assertEquals(200, r.statusCode());
      String text = r.body();
      String[] fn = {"function_name", name};
      String[] ok = {"function_name", name, "code", "200"};
      assertEquals(3.0, metric(text, "gateway_function_invocation_total", ok), text);
      assertEquals(3.0, metric(text, "gateway_functions_seconds_count", ok), text);
      assertEquals(
          3.0,
          metric(text, "gateway_functions_seconds_bucket", "function_name", name, "le", "+Inf"),
          text);
      assertNotNull(metric(text, "gateway_functions_seconds_sum", ok), text);
      assertEquals(3.0, metric(text, "gateway_function_invocation_started", fn), text);
      assertEquals(0.0, metric(text, "gateway_function_invocation_inflight", fn), text);
      assertEquals(1.0, metric(text, "gateway_service_count", fn), text);
      assertFalse(text.contains("it-unknown"), "calls to unknown names add no series");
      assertTrue(
          text.lines()
              .noneMatch(l -> l.startsWith("gateway_functions_seconds{") && l.contains("quantile")),
          "the timer's quantiles are off");
      assertEquals(
          3,
          json(get("/system/function/" + name).body()).getJsonNumber("invocationCount").intValue());
    } finally {
      delete(name);
    }
    String after = get("/metrics?scope=application").body();
    assertFalse(after.contains("function_name=\"" + name + "\""), after);
  }

  /**
   * Every duration series of a function on {@code /metrics} is in seconds: checked against the
   * durations the calls took as the client saw them (Payara 6.2025.10 printed a timer's {@code
   * _max} and {@code _mean} in nanoseconds beside a {@code _sum} in seconds).
   */
  @Test
  void everySecondsSeriesIsInSecondsAgainstTheDurationsOfKnownCalls() throws Exception {
    String name = "it-seconds";
    deployAndAwait(name, "sleep 0.2", 1);
    try {
      double longest = 0;
      double total = 0;
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        assertEquals(200, send("POST", "/function/" + name, "x").statusCode());
        double took = (System.nanoTime() - start) / 1e9;
        longest = Math.max(longest, took);
        total += took;
      }
      scale(name, 0);
      await(name + " is at 0", () -> available(name) == 0);
      long start = System.nanoTime();
      assertEquals(200, send("POST", "/function/" + name, "cold").statusCode());
      double cold = (System.nanoTime() - start) / 1e9;

      String text = get("/metrics?scope=application").body();
      String[] ok = {"function_name", name, "code", "200"};
      String[] fn = {"function_name", name};
      double all = total + cold;
      double longestAll = Math.max(longest, cold);
      // the four calls each ran the function's 0.2 s
      assertBetween(0.8, all, metric(text, "gateway_functions_seconds_sum", ok), text);
      assertBetween(0.2, longestAll, metric(text, "gateway_functions_seconds_max", ok), text);
      assertBetween(0.2, longestAll, metric(text, "gateway_functions_seconds_mean", ok), text);
      assertEquals(4.0, metric(text, "gateway_functions_seconds_count", ok), text);
      assertEquals(
          0.0,
          metric(text, "gateway_functions_seconds_bucket", "function_name", name, "le", "0.1"),
          "no call was faster than the function's 0.2 s: " + text);
      // one cold start, shorter than the call that waited for it
      assertBetween(0, cold, metric(text, "gateway_function_cold_start_seconds_sum", fn), text);
      assertBetween(0, cold, metric(text, "gateway_function_cold_start_seconds_max", fn), text);
      assertBetween(0, cold, metric(text, "gateway_function_cold_start_seconds_mean", fn), text);
      assertEquals(1.0, metric(text, "gateway_function_cold_start_seconds_count", fn), text);
      // and no other duration series of the function is out of that range
      List<String> durations =
          text.lines()
              .filter(l -> !l.startsWith("#") && l.contains("function_name=\"" + name + "\""))
              .filter(l -> l.substring(0, l.indexOf('{')).contains("_seconds"))
              .filter(l -> !l.contains("_seconds_bucket{") && !l.contains("_seconds_count{"))
              .toList();
      assertTrue(durations.size() >= 6, text);
      for (String line : durations) {
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        assertBetween(0, all, value, line);
      }
    } finally {
      delete(name);
    }
  }

  private static void assertBetween(double low, double high, Double value, String context) {
    assertNotNull(value, context);
    assertTrue(
        value >= low && value <= high,
        "expected " + value + " within [" + low + ", " + high + "]: " + context);
  }

  private int desired(String name) {
    try {
      HttpResponse<String> r = get("/system/function/" + name);
      return r.statusCode() == 200 ? json(r.body()).getInt("replicas") : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void autoscalerBringsAFunctionScaledAboveItsMaximumBackToIt() throws Exception {
    String name = "it-maximum";
    HttpResponse<String> r =
        send(
            "POST",
            "/system/functions",
            "{\"service\":\""
                + name
                + "\",\"envProcess\":\"cat\",\"labels\":{\"com.openfaas.scale.max\":\"2\"}}");
    assertEquals(202, r.statusCode(), r.body());
    try {
      scale(name, 4);
      await(name + " is scaled back to 2", () -> desired(name) == 2);
      await(name + " has 2 ready replicas", () -> available(name) == 2);
    } finally {
      delete(name);
    }
  }

  private static String alert(String status, String... functions) {
    StringBuilder b = new StringBuilder("{\"status\":\"" + status + "\",\"alerts\":[");
    for (int i = 0; i < functions.length; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"status\":\"")
          .append(status)
          .append("\",\"labels\":{\"alertname\":\"APIHighInvocationRate\",")
          .append("\"function_name\":\"")
          .append(functions[i])
          .append("\"}}");
    }
    return b.append("]}").toString();
  }

  @Test
  void alertmanagerWebhookScalesUpOneStepAndBackToMin() throws Exception {
    String name = "it-alert";
    HttpResponse<String> r =
        send(
            "POST",
            "/system/functions",
            "{\"service\":\""
                + name
                + "\",\"envProcess\":\"cat\",\"labels\":{\"com.openfaas.scale.max\":\"10\"}}");
    assertEquals(202, r.statusCode(), r.body());
    try {
      HttpResponse<String> firing =
          send("POST", "/system/alert", alert("firing", "it-alert-unknown", name));
      assertEquals(200, firing.statusCode(), firing.body());
      assertEquals(3, json(firing.body()).getInt(name), firing.body());
      assertEquals(3, desired(name), "one step of ceil(10 * 20 / 100)");
      await(name + " has 3 ready replicas", () -> available(name) == 3);

      HttpResponse<String> resolved = send("POST", "/system/alert", alert("resolved", name));
      assertEquals(200, resolved.statusCode(), resolved.body());
      assertEquals(1, desired(name), "back to min");

      assertProblem(send("POST", "/system/alert", "{\"alerts\": [1]}"), 400);
      assertProblem(send("POST", "/system/alert", "{bad"), 400);
      assertEquals(1, desired(name));
      assertFalse(get("/system/functions").body().contains("it-alert-unknown"));
    } finally {
      delete(name);
    }
  }

  @Test
  void deploysInvokesAndDeletesAFunction() throws Exception {
    String name = "it-echo";
    deployAndAwait(name, "cat", 1);
    try {
      HttpResponse<String> r = send("POST", "/function/" + name, "Hello, Function as a Service");
      assertEquals(200, r.statusCode());
      assertEquals("Hello, Function as a Service", r.body());
      assertTrue(r.headers().firstValue("X-Call-Id").orElse("").length() >= 32);
      assertTrue(r.headers().firstValue("X-Start-Time").orElse("").matches("\\d{18,}"));
      assertFalse(r.headers().firstValue("X-Faas-Internal").isPresent());

      HttpResponse<String> namespaced =
          send(
              "PUT",
              "/function/" + name + ".openfaas-fn/some/path?q=1",
              BodyPublishers.ofString("ns"),
              "X-Call-Id",
              "my-call-1");
      assertEquals(200, namespaced.statusCode());
      assertEquals("ns", namespaced.body());
      assertEquals("my-call-1", namespaced.headers().firstValue("X-Call-Id").orElse(null));

      for (String method : List.of("GET", "PATCH", "DELETE", "OPTIONS")) {
        assertEquals(200, send(method, "/function/" + name, "m").statusCode(), method);
      }
      assertEquals(200, send("HEAD", "/function/" + name, (String) null).statusCode());

      JsonObject status = json(get("/system/function/" + name).body());
      assertEquals("cat", status.getString("envProcess"));
      assertEquals("openfaas-fn", status.getString("namespace"));
      assertTrue(status.getJsonNumber("invocationCount").longValue() >= 7);
      JsonArray all =
          Json.createReader(new StringReader(get("/system/functions").body())).readArray();
      assertTrue(all.stream().anyMatch(v -> v.asJsonObject().getString("name").equals(name)));
    } finally {
      delete(name);
    }
    assertProblem(send("POST", "/function/" + name, "gone"), 404);
    assertProblem(get("/system/function/" + name), 404);
  }

  @Test
  void spreadsRequestsOverThreeReplicas() throws Exception {
    String name = "it-spread";
    deployAndAwait(name, "printenv port", 3);
    try {
      Map<String, Integer> hits = new HashMap<>();
      for (int i = 0; i < 30; i++) {
        HttpResponse<String> r = send("POST", "/function/" + name, "x");
        assertEquals(200, r.statusCode(), r.body());
        hits.merge(r.body().trim(), 1, Integer::sum);
      }
      assertEquals(3, hits.size(), "replicas that answered: " + hits);
      assertTrue(hits.values().stream().allMatch(n -> n >= 3), "uneven spread: " + hits);
      scale(name, 1);
      await("scaled down to 1", () -> available(name) == 1);
      assertEquals(200, send("POST", "/function/" + name, "x").statusCode());
    } finally {
      delete(name);
    }
  }

  @Test
  void streamsLargeBodiesBothWays() throws Exception {
    String name = "it-stream";
    deployAndAwait(name, "cat", 1);
    try {
      byte[] big = new byte[6 * 1024 * 1024];
      new Random(42).nextBytes(big);
      HttpRequest fixed =
          HttpRequest.newBuilder(URI.create(root() + "/function/" + name))
              .timeout(Duration.ofSeconds(60))
              .POST(BodyPublishers.ofByteArray(big))
              .build();
      HttpResponse<byte[]> r = http.send(fixed, BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      assertArrayEquals(big, r.body());

      HttpRequest chunked =
          HttpRequest.newBuilder(URI.create(root() + "/function/" + name))
              .timeout(Duration.ofSeconds(60))
              .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
              .build();
      HttpResponse<byte[]> c = http.send(chunked, BodyHandlers.ofByteArray());
      assertEquals(200, c.statusCode());
      assertArrayEquals(big, c.body());
    } finally {
      delete(name);
    }
  }

  /** The body limit Arquillian configures ({@code faas.gateway.max-body-bytes}). */
  private static final int BODY_LIMIT = 8 * 1024 * 1024;

  @Test
  void bodyAtTheLimitRoundTripsAndOneByteMoreIs413WithoutStartingTheFunction() throws Exception {
    String name = "it-limit";
    deployAndAwait(name, "cat", 1);
    try {
      scale(name, 0);
      await(name + " is at 0", () -> available(name) == 0);
      byte[] over = new byte[BODY_LIMIT + 1];
      new Random(7).nextBytes(over);
      long start = System.nanoTime();
      HttpResponse<String> refused =
          http.send(
              HttpRequest.newBuilder(URI.create(root() + "/function/" + name))
                  .timeout(Duration.ofSeconds(60))
                  .POST(BodyPublishers.ofByteArray(over))
                  .build(),
              BodyHandlers.ofString());
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertProblem(refused, 413);
      assertTrue(refused.body().contains("faas.gateway.max-body-bytes"), refused.body());
      System.out.println("limit + 1 byte: 413 after " + millis + " ms");
      assertEquals(0, desired(name), "no replica was started for the refused request");

      HttpResponse<String> chunked =
          http.send(
              HttpRequest.newBuilder(URI.create(root() + "/function/" + name))
                  .timeout(Duration.ofSeconds(60))
                  .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(over)))
                  .build(),
              BodyHandlers.ofString());
      assertProblem(chunked, 413);

      byte[] exact = java.util.Arrays.copyOf(over, BODY_LIMIT);
      HttpResponse<byte[]> ok =
          http.send(
              HttpRequest.newBuilder(URI.create(root() + "/function/" + name))
                  .timeout(Duration.ofSeconds(60))
                  .POST(BodyPublishers.ofByteArray(exact))
                  .build(),
              BodyHandlers.ofByteArray());
      assertEquals(200, ok.statusCode());
      assertArrayEquals(exact, ok.body(), "a body of exactly the limit comes back byte for byte");
    } finally {
      delete(name);
    }
  }

  /** Sends raw bytes to the gateway and answers what came back until it closed or went quiet. */
  private String raw(String request) throws Exception {
    URI uri = URI.create(root());
    try (java.net.Socket s = new java.net.Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = s.getInputStream().read(buffer)) > 0; ) {
          got.write(buffer, 0, n);
        }
      } catch (java.net.SocketTimeoutException e) {
        // kept alive: what arrived is the answer
      }
      return got.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * A client that sends its request slowly, one byte every half second: its head (then a body, if
   * it has one) is written in full but for the last bytes, which trickle: a scheduler writes the
   * next one every 500 ms until the connection closes or 60 s have passed.
   */
  private final class SlowClient implements AutoCloseable {
    final long started = System.nanoTime();
    volatile long answeredAt;
    volatile long closedAt;
    private final java.net.Socket socket;
    private final java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
    private final java.util.concurrent.ScheduledExecutorService writer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    private final Thread reader;

    SlowClient(String start, String trickle) throws Exception {
      URI uri = URI.create(root());
      socket = new java.net.Socket(uri.getHost(), uri.getPort());
      java.io.OutputStream out = socket.getOutputStream();
      out.write(start.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      out.flush();
      reader =
          new Thread(
              () -> {
                byte[] buffer = new byte[4096];
                try {
                  for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
                    if (answeredAt == 0) {
                      answeredAt = System.nanoTime();
                    }
                    synchronized (answer) {
                      answer.write(buffer, 0, n);
                    }
                  }
                } catch (java.io.IOException e) {
                  // reset or closed by close(): the connection is over either way
                }
                closedAt = System.nanoTime();
              });
      long end = started + Duration.ofSeconds(60).toNanos();
      java.util.concurrent.atomic.AtomicInteger sent =
          new java.util.concurrent.atomic.AtomicInteger();
      reader.start();
      writer.scheduleAtFixedRate(
          () -> {
            if (closedAt != 0 || System.nanoTime() > end) {
              writer.shutdown();
              return;
            }
            try {
              out.write(trickle.charAt(sent.getAndIncrement() % trickle.length()));
              out.flush();
            } catch (java.io.IOException e) {
              writer.shutdown(); // closed: nothing more to send
            }
          },
          0,
          500,
          TimeUnit.MILLISECONDS);
    }

    String answer() {
      synchronized (answer) {
        return answer.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
      }
    }

    double seconds(long at) {
      return at == 0 ? -1 : (at - started) / 1e9;
    }

    @Override
    public void close() throws Exception {
      socket.close();
      writer.shutdownNow();
      writer.awaitTermination(5, TimeUnit.SECONDS);
      reader.join(5_000);
    }
  }

  /**
   * Slow clients (faas.gateway.read-timeout is 5 s in the test configuration): a body that trickles
   * in gets 408 naming the setting, on an invocation and on the management API, and its connection
   * is closed within 40 s; clients whose head trickles hold no worker thread. A constant load on
   * another function meanwhile keeps 0 errors.
   */
  @Test
  void slowBodiesGet408AtTheReadTimeoutAndSlowClientsDoNotDisturbOtherCalls() throws Exception {
    String name = "it-slow-clients";
    deployAndAwait(name, "cat", 1);
    List<SlowClient> heads = new ArrayList<>();
    List<SlowClient> bodies = new ArrayList<>();
    try (Load load = new Load(name, 2)) {
      load.awaitCalls(50);
      for (int i = 0; i < 20; i++) {
        heads.add(new SlowClient("GET /healthz HTTP/1.1\r\nHost: it\r\nX-Slow: ", "abcdefgh"));
      }
      String body = "Content-Length: 1000\r\nContent-Type: application/json\r\n\r\n{";
      bodies.add(
          new SlowClient("POST /function/" + name + " HTTP/1.1\r\nHost: it\r\n" + body, " "));
      bodies.add(new SlowClient("POST /system/functions HTTP/1.1\r\nHost: it\r\n" + body, " "));
      bodies.add(
          new SlowClient("PUT /function/" + name + "/x HTTP/1.1\r\nHost: it\r\n" + body, " "));
      load.awaitCalls(300);
      await(
          Duration.ofSeconds(60),
          "every slow body was answered and its connection closed",
          () -> bodies.stream().allMatch(c -> c.closedAt != 0));
      load.awaitCalls(100);
      load.close();
      for (SlowClient c : bodies) {
        String answer = c.answer();
        assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
        assertTrue(answer.contains("faas.gateway.read-timeout"), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
        assertTrue(c.seconds(c.closedAt) < 40, "closed after " + c.seconds(c.closedAt) + " s");
      }
      assertTrue(load.failures.isEmpty(), load.failures.size() + " failed: " + load.failures);
      long headsOpen = heads.stream().filter(c -> c.closedAt == 0).count();
      System.out.printf(
          "slow clients: bodies answered 408 after %.1f/%.1f/%.1f s, closed after %.1f/%.1f/%.1f"
              + " s; %d of %d slow heads still open after %.0f s; load: %d calls, 0 failed%n",
          bodies.get(0).seconds(bodies.get(0).answeredAt),
          bodies.get(1).seconds(bodies.get(1).answeredAt),
          bodies.get(2).seconds(bodies.get(2).answeredAt),
          bodies.get(0).seconds(bodies.get(0).closedAt),
          bodies.get(1).seconds(bodies.get(1).closedAt),
          bodies.get(2).seconds(bodies.get(2).closedAt),
          headsOpen,
          heads.size(),
          heads.get(0).seconds(System.nanoTime()),
          load.total());
    } finally {
      for (SlowClient c : heads) {
        c.close();
      }
      for (SlowClient c : bodies) {
        c.close();
      }
      delete(name);
    }
  }

  /**
   * Both framings in one request: Payara refuses it when {@code Transfer-Encoding} comes first;
   * when {@code Content-Length} comes first it drops that header before the application sees it and
   * reads the body as chunked (RFC 9112 lets a server do either), so the gateway and the function
   * read the same body either way: no part of it can pass as a second request.
   */
  @Test
  void contentLengthTogetherWithTransferEncodingIsRefusedOrReadAsChunked() throws Exception {
    String name = "it-framing";
    deployAndAwait(name, "cat", 1);
    try {
      String chunked = "\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
      String teFirst =
          raw(
              "POST /function/"
                  + name
                  + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5"
                  + chunked);
      assertTrue(teFirst.startsWith("HTTP/1.1 400"), teFirst);
      assertFalse(teFirst.contains("hello"), teFirst);
      String clFirst =
          raw(
              "POST /function/"
                  + name
                  + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked"
                  + chunked);
      assertTrue(clFirst.startsWith("HTTP/1.1 200"), clFirst);
      assertTrue(clFirst.endsWith("\r\n\r\nhello"), "read as chunked, not as 5 bytes: " + clFirst);
    } finally {
      delete(name);
    }
  }

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
  void holdsConcurrentRequestsToAFunctionAtZeroAndStartsOneReplica() throws Exception {
    String name = "it-cold";
    deployAndAwait(name, "cat", 1);
    try {
      scale(name, 0);
      await("scaled to zero", () -> available(name) == 0);
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(root() + "/function/" + name))
                .timeout(Duration.ofSeconds(60))
                .POST(BodyPublishers.ofString("cold " + i))
                .build();
        calls.add(http.sendAsync(request, BodyHandlers.ofString()));
      }
      for (int i = 0; i < calls.size(); i++) {
        HttpResponse<String> r = calls.get(i).get(90, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("cold " + i, r.body());
      }
      assertEquals(1, desired(name), "started to its min, once");
      assertEquals(2, replicaPids(name).size(), "one replica before, one after the cold start");
      String text = get("/metrics?scope=application").body();
      Double waits =
          metric(text, "gateway_function_cold_start_seconds_count", "function_name", name);
      assertNotNull(waits, text);
      assertTrue(waits >= 1 && waits <= 50, text);
      assertEquals(
          1.0,
          metric(text, "gateway_scaling_events_total", "function_name", name, "direction", "up"),
          "one scale-up for the cold start: " + text);
      assertNotNull(
          metric(
              text,
              "gateway_function_cold_start_seconds_bucket",
              "function_name",
              name,
              "le",
              "+Inf"),
          text);
      assertTrue(
          text.lines()
              .noneMatch(
                  l ->
                      l.startsWith("gateway_function_cold_start_seconds{")
                          && l.contains("quantile")),
          "the cold-start timer's quantiles are off");
    } finally {
      delete(name);
    }
  }

  @Test
  void idleFunctionLabelledZeroGoesToZeroAndItsNextRequestStartsIt() throws Exception {
    String name = "it-zero";
    deploy(
        name,
        "cat",
        "{}",
        "{\"com.openfaas.scale.zero\":\"true\",\"com.openfaas.scale.zero-duration\":\"2s\"}");
    try {
      await(name + " has a ready replica", () -> available(name) == 1);
      await(name + " idle for 2 s goes to 0", () -> desired(name) == 0);
      List<Long> pids = replicaPids(name);
      await(
          name + "'s replica process has exited",
          () -> pids.stream().noneMatch(p -> ProcessHandle.of(p).isPresent()));
      HttpResponse<String> r = send("POST", "/function/" + name, "wake up");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("wake up", r.body());
      assertEquals(1, available(name), "started to one replica by the request");
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

  @Test
  void callsToAFunctionWhoseReplicasKeepFailingGet503SayingWhy() throws Exception {
    String name = "it-crashing";
    // the watchdog refuses a bad setting at start, naming it, and exits: so does every replica
    deploy(name, "cat", "{\"exec_timeout\":\"soon\"}");
    try {
      HttpResponse<String> r = send("POST", "/function/" + name, "x");
      assertProblem(r, 503);
      assertTrue(r.body().contains("keep failing"), "answered before the wait ends: " + r.body());
      assertTrue(r.body().contains("exited unexpectedly with status 2"), r.body());
      assertTrue(r.body().contains("exec_timeout=soon is not a duration"), r.body());
      JsonObject problem = json(get("/system/function/" + name).body()).getJsonObject("problem");
      assertNotNull(problem, "the function's status tells why");
      assertTrue(problem.getString("reason").contains("exec_timeout=soon"), problem.toString());
      assertTrue(problem.getInt("attempts") >= 3, problem.toString());
      // fixed by an update: the problem goes once a replica is ready
      HttpResponse<String> u =
          send("PUT", "/system/functions", "{\"service\":\"" + name + "\",\"envProcess\":\"cat\"}");
      assertEquals(202, u.statusCode(), u.body());
      await(name + " is ready after the fix", () -> available(name) == 1);
      assertEquals("fixed", send("POST", "/function/" + name, "fixed").body());
      assertFalse(
          json(get("/system/function/" + name).body()).containsKey("problem"),
          "no problem once a replica is ready");
    } finally {
      delete(name);
    }
  }

  @Test
  void answers503WhenNoReplicaGetsReadyWithinTheColdStartTimeout() throws Exception {
    String name = "it-never-ready";
    // in mode=http the watchdog's health stays 503 until the upstream listens, and this one never
    deploy(name, "sleep 600", "{\"mode\":\"http\",\"upstream_url\":\"http://127.0.0.1:9\"}");
    try {
      HttpResponse<String> r = send("POST", "/function/" + name, "x");
      assertProblem(r, 503);
      assertTrue(r.body().contains("faas.gateway.cold-start-timeout"), r.body());
      assertEquals(1, desired(name), "a function with a replica on its way is not scaled");
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
  void answers502WhenTheReplicaDiesMidRequestAndReplacesIt() throws Exception {
    String name = "it-crash";
    deployAndAwait(name, "sleep 30", 1);
    try {
      long pid = replicaPids(name).get(0);
      CompletableFuture<HttpResponse<String>> call =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return send("POST", "/function/" + name, "x");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      await(
          "the call is in flight",
          () -> {
            try {
              Double inFlight =
                  metric(
                      get("/metrics?scope=application").body(),
                      "gateway_function_invocation_inflight",
                      "function_name",
                      name);
              return inFlight != null && inFlight >= 1;
            } catch (Exception e) {
              return false;
            }
          });
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      HttpResponse<String> r = call.get(60, TimeUnit.SECONDS);
      assertProblem(r, 502);
      await("replacement replica", () -> available(name) == 1);
      assertTrue(replicaPids(name).size() >= 2, "a new replica was started");
    } finally {
      delete(name);
    }
  }

  @Test
  void answers504WhenTheFunctionIsSlowerThanTheUpstreamTimeout() throws Exception {
    String name = "it-slow";
    // the watchdog's own write_timeout (5 s) must not answer first
    deploy(name, "sleep 20", "{\"write_timeout\":\"60s\"}");
    await(name + " ready", () -> available(name) == 1);
    try {
      HttpResponse<String> r = send("POST", "/function/" + name, "x");
      assertProblem(r, 504);
      assertTrue(r.body().contains("did not answer within 4000 ms"), r.body());
    } finally {
      delete(name);
    }
  }

  @Test
  void keepsServingWhenAReplicaIsKilledBetweenRequests() throws Exception {
    String name = "it-retry";
    deployAndAwait(name, "cat", 2);
    try {
      for (int i = 0; i < 4; i++) {
        assertEquals(200, send("POST", "/function/" + name, "warm").statusCode());
      }
      ProcessHandle killed = ProcessHandle.of(replicaPids(name).get(0)).orElseThrow();
      killed.destroyForcibly();
      killed.onExit().get(30, TimeUnit.SECONDS);
      // the backend notices the exit (and takes the replica out of the ready set) at once
      await(
          "the backend notices the exit",
          () -> {
            try {
              return get("/system/logs?name=" + name).body().contains("exited unexpectedly");
            } catch (Exception e) {
              return false;
            }
          });
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> r = send("POST", "/function/" + name, "after " + i);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("after " + i, r.body());
      }
    } finally {
      delete(name);
    }
  }

  /**
   * A bounded constant load on one function from a few threads: every call checks its answer, and
   * failures are kept with the time they ended.
   */
  private final class Load implements AutoCloseable {
    final java.util.concurrent.atomic.AtomicLong ok = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.ConcurrentLinkedQueue<String> failures =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    final java.util.concurrent.ConcurrentLinkedQueue<Long> failedAt =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Load(String name, int threadCount) throws Exception {
      String url = root() + "/function/" + name;
      long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      for (int t = 0; t < threadCount; t++) {
        Thread thread =
            new Thread(
                () -> {
                  for (int i = 0; i < 100_000 && running.get() && System.nanoTime() < end; i++) {
                    String body = "load " + i;
                    try {
                      HttpResponse<String> r =
                          http.send(
                              HttpRequest.newBuilder(URI.create(url))
                                  .timeout(Duration.ofSeconds(30))
                                  .POST(BodyPublishers.ofString(body))
                                  .build(),
                              BodyHandlers.ofString());
                      if (r.statusCode() == 200 && r.body().equals(body)) {
                        ok.incrementAndGet();
                        continue;
                      }
                      failures.add(r.statusCode() + " " + r.body());
                    } catch (Exception e) {
                      failures.add(e.toString());
                    }
                    failedAt.add(System.nanoTime());
                  }
                });
        thread.start();
        threads.add(thread);
      }
    }

    /** Waits (bounded) until this many more calls have succeeded. */
    void awaitCalls(long more) throws InterruptedException {
      long target = ok.get() + more;
      await("the load made " + more + " more calls", () -> ok.get() >= target);
    }

    long total() {
      return ok.get() + failures.size();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(60).toMillis());
      }
    }
  }

  @Test
  void scalingThreeToOneAndUpdatingUnderLoadLosesNoRequest() throws Exception {
    String name = "it-rolling";
    deployAndAwait(name, "cat", 3);
    try (Load load = new Load(name, 4)) {
      load.awaitCalls(200);
      scale(name, 1);
      await(name + " is down to 1 replica", () -> available(name) == 1 && desired(name) == 1);
      load.awaitCalls(200);
      HttpResponse<String> updated =
          send(
              "PUT",
              "/system/functions",
              "{\"service\":\"" + name + "\",\"envProcess\":\"cat\",\"envVars\":{\"v\":\"2\"}}");
      assertEquals(202, updated.statusCode(), updated.body());
      await(
          name + " runs only the updated replica",
          () -> {
            try {
              String logs = get("/system/logs?name=" + name).body();
              return available(name) == 1 && replicaPids(name).size() >= 4 && !logs.isEmpty();
            } catch (Exception e) {
              return false;
            }
          });
      load.awaitCalls(200);
      load.close();
      assertTrue(load.failures.isEmpty(), load.failures.size() + " lost: " + load.failures);
      System.out.println("scale 3 -> 1 and update under load: " + load.total() + " calls, 0 lost");
    } finally {
      delete(name);
    }
  }

  @Test
  void sigkillOfOneOfThreeReplicasUnderLoadKeeps99PercentAndIsReplaced() throws Exception {
    String name = "it-sigkill";
    deployAndAwait(name, "cat", 3);
    try (Load load = new Load(name, 4)) {
      load.awaitCalls(200);
      ProcessHandle victim = ProcessHandle.of(replicaPids(name).get(0)).orElseThrow();
      long killedAt = System.nanoTime();
      victim.destroyForcibly();
      victim.onExit().get(30, TimeUnit.SECONDS);
      await(name + " is back to 3 ready replicas", () -> available(name) == 3);
      load.awaitCalls(200);
      load.close();
      long total = load.total();
      double success = 100.0 * load.ok.get() / total;
      long lastFailure =
          load.failedAt.stream().mapToLong(t -> (t - killedAt) / 1_000_000).max().orElse(0);
      System.out.printf(
          "SIGKILL 1 of 3 under load: %d calls, %d failed (%.2f %% success), last failure %d ms"
              + " after the kill%n",
          total, load.failures.size(), success, lastFailure);
      assertTrue(success >= 99.0, success + " % success: " + load.failures);
      // failures come only from the calls the dead replica had in flight: the backend takes it out
      // of the ready set as soon as it exits (a loose bound; the figure is printed above)
      assertTrue(lastFailure < 5_000, "failures went on for " + lastFailure + " ms");
    } finally {
      delete(name);
    }
  }

  @Test
  void execTimeoutKillsTheWholeProcessTreeAndAnswers504() throws Exception {
    String name = "it-tree";
    String marker = "it-tree-" + System.nanoTime();
    deploy(
        name,
        "sh gateway-war/src/test/functions/tree.sh",
        "{\"exec_timeout\":\"1s\",\"marker\":\"" + marker + "\"}");
    try {
      await(name + " is ready", () -> available(name) == 1);
      HttpResponse<String> r = send("POST", "/function/" + name, "x");
      assertProblem(r, 504);
      assertFalse(r.body().contains("never"), r.body());
      // neither sleep (the function's child nor its orphaned grandchild) is left running
      await(
          "no process of the timed-out call is left",
          () ->
              ProcessHandle.allProcesses()
                  .noneMatch(
                      p ->
                          p.info().commandLine().orElse("").matches(".*sleep 30[01].*")
                              && environ(p).contains(marker)));
    } finally {
      delete(name);
    }
  }

  private static String environ(ProcessHandle p) {
    return ProcFs.read(java.nio.file.Path.of("/proc/" + p.pid() + "/environ")).orElse("");
  }

  @Test
  void headersCannotOverrideTheFunctionsOwnEnvironment() throws Exception {
    String name = "it-headers";
    deployAndAwait(name, "env", 1);
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(root() + "/function/" + name + "/real/path?q=1"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Method", "DELETE")
                  .header("Path", "/fake")
                  .header("Proxy", "http://evil.example:3128")
                  .header("X-Forwarded_For", "6.6.6.6")
                  .header("Fprocess", "rm -rf /")
                  .header("X-Shellshock", "() { :; }; echo SHELLSHOCKED")
                  .POST(BodyPublishers.ofString("x"))
                  .build(),
              BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      List<String> env = List.of(r.body().split("\n"));
      assertTrue(env.contains("Http_Method=POST"), r.body());
      assertTrue(env.contains("Http_Path=/real/path"), r.body());
      assertTrue(env.contains("fprocess=env"), r.body());
      assertTrue(env.stream().noneMatch(l -> l.matches("(?i)(http_)?proxy=.*")), r.body());
      assertTrue(env.stream().noneMatch(l -> l.equals("SHELLSHOCKED")), r.body());
      assertTrue(env.stream().noneMatch(l -> l.contains("6.6.6.6")), r.body());
      assertTrue(env.contains("Http_X_Forwarded_For=127.0.0.1"), "the real peer: " + r.body());
    } finally {
      delete(name);
    }
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

  /**
   * The real Prometheus (Debian's package, installed by stack/prerequisites.sh) with the project's
   * own config/prometheus.yml, aimed at this gateway, computes the invocation rate back.
   */
  @Test
  void prometheusScrapesTheGatewayAndComputesTheInvocationRate() throws Exception {
    java.nio.file.Path prometheus = java.nio.file.Path.of("/usr/bin/prometheus");
    Needs.that(
        java.nio.file.Files.isExecutable(prometheus),
        "prometheus is not installed (bash stack/prerequisites.sh installs it)");
    String name = "it-prometheus";
    deployAndAwait(name, "cat", 1);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("it-prometheus");
    java.nio.file.Path config = java.nio.file.Path.of("..", "config").toAbsolutePath();
    java.nio.file.Files.writeString(
        dir.resolve("prometheus.yml"),
        java.nio.file.Files.readString(config.resolve("prometheus.yml"))
            .replace("127.0.0.1:8080", URI.create(root()).getAuthority())
            .replace("scrape_interval: 5s", "scrape_interval: 1s"));
    java.nio.file.Files.copy(config.resolve("alert.rules.yml"), dir.resolve("alert.rules.yml"));
    int port;
    try (java.net.ServerSocket free =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Process process =
        new ProcessBuilder(
                prometheus.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    try {
      String query =
          java.net.URLEncoder.encode(
              "rate(gateway_function_invocation_total{function_name=\""
                  + name
                  + "\",code=\"200\"}[10s])",
              java.nio.charset.StandardCharsets.UTF_8);
      String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + query;
      await(
          Duration.ofSeconds(120),
          "Prometheus computes an invocation rate (its log: " + dir.resolve("prometheus.log") + ")",
          () -> {
            try {
              for (int i = 0; i < 5; i++) {
                HttpResponse<String> call =
                    send("POST", "/function/" + name, BodyPublishers.ofString("x"));
                assertEquals(200, call.statusCode(), call.body());
              }
              return prometheusValue(url) > 0;
            } catch (Exception e) {
              return false; // Prometheus is still starting
            }
          });
    } finally {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      delete(name);
      Trees.delete(dir);
    }
  }

  // Replica limits (process backend through cgroup v1 here; docs/reliability.md)

  private static final java.nio.file.Path PIDS = java.nio.file.Path.of("/sys/fs/cgroup/pids");
  private static final java.nio.file.Path CPUACCT = java.nio.file.Path.of("/sys/fs/cgroup/cpuacct");

  /**
   * Goes on where cgroup v1's pids hierarchy is writable (root), as on this project's machines,
   * where the backend uses it; skips elsewhere, fails under CI.
   */
  private static void assumeCgroupsWritable() {
    Needs.that(
        java.nio.file.Files.isWritable(PIDS.resolve("cgroup.procs")),
        "cgroups are not writable here (not root, or no cgroup v1 pids hierarchy): the process"
            + " backend runs replicas without process, CPU and memory limits");
  }

  /** The cgroup directories of a function's replicas below {@code <hierarchy>/jakartafaas}. */
  private static List<java.nio.file.Path> replicaCgroups(
      java.nio.file.Path hierarchy, String name) {
    // the platform removes these directories while the test looks: ProcFs tolerates that
    return ProcFs.directories(
        hierarchy.resolve("jakartafaas"),
        2,
        d -> d.getFileName().toString().matches(Pattern.quote(name) + "-\\d+"));
  }

  private static long cgroupNumber(java.nio.file.Path file) {
    try {
      return Long.parseLong(java.nio.file.Files.readString(file).trim());
    } catch (Exception e) {
      return -1;
    }
  }

  /** How many processes (not threads) are directly in a cgroup. */
  private static long processesIn(java.nio.file.Path cgroup) {
    try {
      return java.nio.file.Files.readAllLines(cgroup.resolve("cgroup.procs")).stream()
          .filter(l -> !l.isBlank())
          .count();
    } catch (Exception e) {
      return 0;
    }
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static String latencies(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    return String.format(
        java.util.Locale.ROOT,
        "%d calls, p50 %.2f ms, p99 %.2f ms",
        sorted.size(),
        percentile(sorted, 0.50) / 1e6,
        percentile(sorted, 0.99) / 1e6);
  }

  @Test
  void aForkBombIsHeldAtItsPidsLimitAndKilledWhileAnotherFunctionKeepsAnswering() throws Exception {
    assumeCgroupsWritable();
    String bomb = "it-bomb";
    String other = "it-bomb-bystander";
    String marker = "it-bomb-" + System.nanoTime();
    deployAndAwait(other, "cat", 1);
    deploy(
        bomb,
        "bash gateway-war/src/test/functions/forkbomb.sh",
        "{\"exec_timeout\":\"3s\",\"marker\":\"" + marker + "\"}");
    try {
      await(bomb + " is ready", () -> available(bomb) == 1);
      List<java.nio.file.Path> dirs = replicaCgroups(PIDS, bomb);
      assertEquals(1, dirs.size(), "one cgroup for the one replica: " + dirs);
      java.nio.file.Path fn = dirs.get(0).resolve("function");
      long max = cgroupNumber(fn.resolve("pids.max"));
      assertTrue(max > 0, "pids.max of " + fn);
      assertEquals(0, cgroupNumber(fn.resolve("pids.current")), "no function process yet");
      long backstop = cgroupNumber(dirs.get(0).resolve("pids.max"));
      assertTrue(backstop > max, "the whole replica has a finite pids.max above the function's");
      long watchdogTasks = cgroupNumber(dirs.get(0).resolve("pids.current"));

      List<Long> before = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = send("POST", "/function/" + other, "ping-" + i);
        before.add(System.nanoTime() - t0);
        assertEquals(200, r.statusCode(), r.body());
      }

      CompletableFuture<HttpResponse<String>> bombCall =
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(root() + "/function/" + bomb))
                  .timeout(Duration.ofSeconds(60))
                  .POST(BodyPublishers.ofString("boom"))
                  .build(),
              BodyHandlers.ofString());
      await(
          Duration.ofSeconds(20),
          "the bomb reaches its pids limit of " + max,
          () -> bombCall.isDone() || cgroupNumber(fn.resolve("pids.current")) >= max);
      List<Long> during = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      long highest = 0;
      // the watchdog JVM's own cgroup: a function process that forked before the watchdog moved
      // it into "function" would leave its children there (v2 keeps the JVM in a "watchdog" leaf)
      java.nio.file.Path own =
          java.nio.file.Files.isDirectory(dirs.get(0).resolve("watchdog"))
              ? dirs.get(0).resolve("watchdog")
              : dirs.get(0);
      long escaped = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!bombCall.isDone() && System.nanoTime() < deadline) {
        highest = Math.max(highest, cgroupNumber(fn.resolve("pids.current")));
        escaped = Math.max(escaped, processesIn(own) - 1);
        long t0 = System.nanoTime();
        HttpResponse<String> r = send("POST", "/function/" + other, "ping");
        during.add(System.nanoTime() - t0);
        if (r.statusCode() != 200 || !r.body().equals("ping")) {
          errors.add(r.statusCode() + " " + r.body());
        }
      }
      HttpResponse<String> answer = bombCall.get(30, TimeUnit.SECONDS);
      long peak = cgroupNumber(fn.resolve("pids.peak"));
      System.out.println(
          "fork bomb: pids.max "
              + max
              + ", pids.peak "
              + peak
              + ", answered "
              + answer.statusCode()
              + "; the other function before: "
              + latencies(before)
              + "; during: "
              + (during.isEmpty() ? "no calls" : latencies(during))
              + ", "
              + errors.size()
              + " errors; most processes besides the watchdog in its own cgroup: "
              + escaped);
      assertEquals(List.of(), errors, "the other function failed during the bomb");
      assertTrue(during.size() > 0, "the other function was called during the bomb");
      assertTrue(
          answer.statusCode() == 504 || answer.statusCode() == 502,
          answer.statusCode() + " " + answer.body());
      assertFalse(answer.body().isBlank(), "an error with a message, never an empty answer");
      assertEquals(max, peak, "pids.peak: the bomb filled its limit and never went over it");
      assertTrue(highest <= max, "pids.current " + highest + " over " + max);
      await("the bomb's cgroup is empty", () -> cgroupNumber(fn.resolve("pids.current")) == 0);
      // the replica (a JVM) has the marker too; the bomb's processes are bash running the script
      await(
          "no process of the bomb is left",
          () ->
              ProcessHandle.allProcesses()
                  .noneMatch(
                      p ->
                          p.info().commandLine().orElse("").contains("forkbomb.sh")
                              && environ(p).contains(marker)));
      // the replica's own tasks (the watchdog's threads) are all that is left in its cgroup
      long after = cgroupNumber(dirs.get(0).resolve("pids.current"));
      System.out.println(
          "fork bomb replica: " + watchdogTasks + " watchdog tasks before, " + after + " after");
      assertTrue(after > 0 && after < max, "the watchdog's " + after + " tasks");
      assertEquals(200, send("POST", "/function/" + other, "x").statusCode());
    } finally {
      delete(bomb);
      delete(other);
    }
    await(
        "the bomb's cgroups are removed",
        () -> replicaCgroups(PIDS, bomb).isEmpty() && replicaCgroups(PIDS, other).isEmpty());
  }

  @Test
  void aFunctionLimitedToAQuarterCpuIsThrottledToItsQuota() throws Exception {
    assumeCgroupsWritable();
    Needs.that(
        java.nio.file.Files.isDirectory(CPUACCT.resolve("jakartafaas")),
        "no cgroup v1 cpuacct hierarchy in use");
    String name = "it-busy";
    HttpResponse<String> d =
        send(
            "POST",
            "/system/functions",
            "{\"service\":\""
                + name
                + "\",\"envProcess\":\"bash gateway-war/src/test/functions/busy.sh\","
                + "\"envVars\":{\"BUSY_SECONDS\":\"2\"},\"limits\":{\"cpu\":\"0.25\"}}");
    assertEquals(202, d.statusCode(), d.body());
    try {
      await(name + " is ready", () -> available(name) == 1);
      java.nio.file.Path cpu = replicaCgroups(PIDS.resolveSibling("cpu"), name).get(0);
      assertEquals(25000, cgroupNumber(cpu.resolve("cpu.cfs_quota_us")));
      assertEquals(100000, cgroupNumber(cpu.resolve("cpu.cfs_period_us")));
      java.nio.file.Path usage = replicaCgroups(CPUACCT, name).get(0).resolve("cpuacct.usage");
      long used0 = cgroupNumber(usage);
      long t0 = System.nanoTime();
      HttpResponse<String> r = send("POST", "/function/" + name, "");
      long wall = System.nanoTime() - t0;
      long used = cgroupNumber(usage) - used0;
      assertEquals(200, r.statusCode(), r.body());
      String stat = java.nio.file.Files.readString(cpu.resolve("cpu.stat"));
      System.out.printf(
          java.util.Locale.ROOT,
          "cpu limit 0.25: %.2f s of CPU in %.2f s (%.2f cores); %s%n",
          used / 1e9,
          wall / 1e9,
          (double) used / wall,
          stat.replace('\n', ' '));
      // the busy loop alone would take a whole core; the quota holds the replica near a quarter
      assertTrue((double) used / wall < 0.45, used + " ns of CPU in " + wall + " ns");
      Matcher throttled = Pattern.compile("nr_throttled (\\d+)").matcher(stat);
      assertTrue(throttled.find() && Long.parseLong(throttled.group(1)) > 0, stat);
    } finally {
      delete(name);
    }
  }

  // ---- asynchronous invocation (/async-function/) ----

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
      GatewayIT.await("the callback of " + callId, () -> byCallId.containsKey(callId));
      return byCallId.get(callId).get(0);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private HttpResponse<String> async(String path, String body, String... headers) throws Exception {
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
      assertEquals("500", callbacks.await("async-fail-1").header("X-Function-Status"));

      // without a callback the call still runs: the invocation metric counts it
      assertEquals(
          202, async("/async-function/" + name, "", "X-Call-Id", "async-nocb").statusCode());
      Poll.until(
          WAIT,
          "three async calls of " + name + " counted as done",
          () ->
              Double.valueOf(3)
                  .equals(
                      metric(
                          get("/metrics?scope=application").body(),
                          "gateway_async_calls_total",
                          "function_name",
                          name,
                          "result",
                          "done")));
      String metrics = get("/metrics?scope=application").body();
      assertEquals(
          3.0,
          metric(
              metrics, "gateway_function_invocation_total", "function_name", name, "code", "200"));
      assertEquals(
          1.0,
          metric(metrics, "gateway_async_calls_total", "function_name", failing, "result", "done"));
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
                          "done")));
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
