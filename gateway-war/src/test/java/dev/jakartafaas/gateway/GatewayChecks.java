package dev.jakartafaas.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.GatewayRoot;
import dev.jakartafaas.testing.Poll;
import dev.jakartafaas.testing.ProcFs;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every concern of {@link GatewayIT} needs to talk to the one gateway they share: its root,
 * requests, deploys, scales, waits and the checks of a platform error. Each concern is an abstract
 * class of its own, run as a {@code @Nested} class of {@code GatewayIT}.
 */
abstract class GatewayChecks {

  static final Duration WAIT = Duration.ofSeconds(60);

  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** The root of the one gateway the concerns share, on loopback ({@link GatewayRoot}). */
  String root() throws InterruptedException {
    return GatewayRoot.ofShared(http);
  }

  HttpResponse<String> send(String method, String path, BodyPublisher body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(root() + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, body);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(
        method, path, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
  }

  HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, (String) null);
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(WAIT, what, condition);
  }

  /** Polls {@code condition} until it holds; fails naming {@code what} after {@code limit}. */
  static void await(Duration limit, String what, BooleanSupplier condition)
      throws InterruptedException {
    Poll.untilTrue(limit, what, condition);
  }

  /** The first sample of a Prometheus instant query, 0 when it has none yet. */
  double prometheusValue(String queryUrl) throws Exception {
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

  int available(String name) {
    try {
      HttpResponse<String> r = get("/system/function/" + name);
      return r.statusCode() == 200 ? json(r.body()).getInt("availableReplicas") : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  void deploy(String name, String envProcess) throws Exception {
    deploy(name, envProcess, "{}");
  }

  /** Deploys with {@code envVars}, given as a JSON object. */
  void deploy(String name, String envProcess, String envVarsJson) throws Exception {
    deploy(name, envProcess, envVarsJson, "{}");
  }

  /** Deploys with {@code envVars} and {@code labels}, each given as a JSON object. */
  void deploy(String name, String envProcess, String envVarsJson, String labelsJson)
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

  void deployAndAwait(String name, String envProcess, int replicas) throws Exception {
    deploy(name, envProcess);
    if (replicas != 1) {
      scale(name, replicas);
    }
    await(name + " has " + replicas + " ready replicas", () -> available(name) == replicas);
  }

  void scale(String name, int replicas) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/system/scale-function/" + name,
            "{\"serviceName\":\"" + name + "\",\"replicas\":" + replicas + "}");
    assertEquals(202, r.statusCode(), r.body());
  }

  void delete(String name) throws Exception {
    send("DELETE", "/system/functions", "{\"functionName\":\"" + name + "\"}");
  }

  static void assertProblem(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("true", r.headers().firstValue("X-Faas-Internal").orElse(null), r.body());
    assertTrue(r.body().endsWith("\n") && r.body().trim().length() > 5, r.body());
    assertEquals(1, r.body().split("\n").length, r.body());
  }

  /** Pids of a function's replicas as its log reports them. */
  List<Long> replicaPids(String name) throws Exception {
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
  static Double metric(String text, String name, String... labels) {
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

  /** Sends raw bytes to the gateway and answers what came back until it closed or went quiet. */
  String raw(String request) throws Exception {
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

  int desired(String name) {
    try {
      HttpResponse<String> r = get("/system/function/" + name);
      return r.statusCode() == 200 ? json(r.body()).getInt("replicas") : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  static String environ(ProcessHandle p) {
    return ProcFs.read(java.nio.file.Path.of("/proc/" + p.pid() + "/environ")).orElse("");
  }

  /**
   * A bounded constant load on one function from a few threads: every call checks its answer, and
   * failures are kept with the time they ended.
   */
  final class Load implements AutoCloseable {
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
}
