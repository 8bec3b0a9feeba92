package dev.jakartafaas.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Invoking functions through the proxy: deploy, invoke and delete; spreading over replicas; large,
 * limited and slow bodies; framing that could smuggle a request; headers that may not reach the
 * function's environment.
 */
abstract class InvocationChecks extends GatewayChecks {

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

      for (String method : List.of("GET", "PATCH", "DELETE")) {
        assertEquals(200, send(method, "/function/" + name, "m").statusCode(), method);
      }
      // passed on; the replica's watchdog (mode=fork) runs no function for them, as the classic
      HttpResponse<String> options = send("OPTIONS", "/function/" + name, "m");
      assertEquals(405, options.statusCode());
      assertEquals(
          "GET, POST, PUT, PATCH, DELETE", options.headers().firstValue("Allow").orElse(null));
      assertEquals(405, send("HEAD", "/function/" + name, (String) null).statusCode());

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
  static final int BODY_LIMIT = 8 * 1024 * 1024;

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
}
