package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Poll;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mode=fork} end to end: a real watchdog on a loopback port, real processes, real HTTP.
 * Functions are small shell scripts, run as {@code sh script} since {@code fprocess} has no shell.
 */
class ForkModeTest {

  private static final Duration LEFTOVER_LIMIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @RegisterExtension final TestWatchdogs watchdogs = new TestWatchdogs();

  private LocalWatchdog watchdog(String... keysAndValues) throws IOException {
    return watchdogs.start(dir, keysAndValues);
  }

  /** Writes a shell script and returns the {@code fprocess} that runs it. */
  private String script(String body) throws IOException {
    return TestWatchdogs.script(dir, body);
  }

  private String marker() {
    return watchdogs.marker();
  }

  @Test
  void returnsBinaryBodyThroughCatByteExact() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "cat");
    byte[] body = new byte[1024 * 1024];
    new Random(42).nextBytes(body);
    body[0] = (byte) 0xC3; // a UTF-8 lead byte followed by an invalid continuation
    body[1] = (byte) 0x28;
    body[2] = (byte) 0xFF;

    HttpResponse<byte[]> response =
        watchdog.sendForBytes(
            watchdog.request("/").POST(HttpRequest.BodyPublishers.ofByteArray(body)));

    assertEquals(200, response.statusCode());
    assertArrayEquals(body, response.body());
  }

  @Test
  void returnsOutputLargerThanMemorySpoolByteExact() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "cat");
    byte[] body = new byte[3 * 1024 * 1024 + 123];
    new Random(43).nextBytes(body);

    HttpResponse<byte[]> response =
        watchdog.sendForBytes(
            watchdog
                .request("/")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body))));

    assertEquals(200, response.statusCode());
    assertArrayEquals(body, response.body());
  }

  @Test
  void keepsOutputOrderWhenSpoolMovesFromMemoryToDisk() throws Exception {
    int zeros = Spool.MEMORY_BYTES - 10;
    // The pauses only shape the output into separate reads: just under the memory budget, 20
    // bytes that overflow it, then 5 that would fit in memory again.
    LocalWatchdog watchdog =
        watchdog(
            "fprocess",
            script(
                "head -c "
                    + zeros
                    + " /dev/zero; sleep 0.3; printf ABCDEFGHIJKLMNOPQRST; sleep 0.3; printf xyz12"));

    HttpResponse<byte[]> response =
        watchdog.sendForBytes(watchdog.request("/").POST(HttpRequest.BodyPublishers.noBody()));

    assertEquals(200, response.statusCode());
    byte[] body = response.body();
    assertEquals(zeros + 25, body.length);
    assertEquals(
        "ABCDEFGHIJKLMNOPQRSTxyz12", new String(body, zeros, 25, StandardCharsets.US_ASCII));
  }

  @Test
  void servesNextRequestOnSameConnectionAfterFunctionIgnoredBody() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "head -c 5");
    byte[] large = new byte[1024 * 1024];
    Arrays.fill(large, (byte) 'L');

    for (int i = 0; i < 5; i++) {
      HttpResponse<String> ignored =
          watchdog.send(watchdog.request("/").POST(HttpRequest.BodyPublishers.ofByteArray(large)));
      HttpResponse<String> next = watchdog.post("/", "small-" + i);

      assertEquals(200, ignored.statusCode());
      assertEquals("LLLLL", ignored.body());
      assertEquals(200, next.statusCode());
      assertEquals("small", next.body());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"-5", "abc", "1, 2"})
  void returns400ForBadContentLength(String value) throws Exception {
    Path ran = dir.resolve("ran");
    LocalWatchdog watchdog = watchdog("fprocess", script("touch " + ran + "; cat"));

    String reply =
        RawHttp.exchange(
            watchdog.port(),
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                + value
                + "\r\nConnection: close\r\n\r\nhello");

    assertEquals(400, RawHttp.status(reply), reply);
    assertFalse(Files.exists(ran), "the function must not run");
  }

  @Test
  void answersAtOnceWhenFunctionNeverReadsLargeBody() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "echo ok");
    byte[] body = new byte[5 * 1024 * 1024];
    Arrays.fill(body, (byte) 'x');

    HttpResponse<String> response =
        watchdog.send(watchdog.request("/").POST(HttpRequest.BodyPublishers.ofByteArray(body)));

    assertEquals(200, response.statusCode());
    assertEquals("ok\n", response.body());
  }

  @Test
  void answersWhenFunctionNeverReadsLargeChunkedBody() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "echo ok");
    byte[] body = new byte[5 * 1024 * 1024];
    Arrays.fill(body, (byte) 'x');

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response =
          watchdog.send(
              watchdog
                  .request("/")
                  .POST(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(body))));

      assertEquals(200, response.statusCode());
      assertEquals("ok\n", response.body());
    }
  }

  @Test
  void answersWithDurationHeader() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "cat");

    HttpResponse<String> response = watchdog.post("/", "hello");

    assertEquals(200, response.statusCode());
    assertEquals("hello", response.body());
    String seconds = response.headers().firstValue("X-Duration-Seconds").orElseThrow();
    assertTrue(Double.parseDouble(seconds) >= 0, seconds);
  }

  @Test
  void takesContentTypeFromConfigurationOverRequest() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "cat", "content_type", "application/json");

    HttpResponse<String> response =
        watchdog.send(
            watchdog
                .request("/")
                .header("Content-Type", "text/x-request")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
  }

  @Test
  void echoesRequestContentTypeWithoutConfiguredOne() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "cat");

    HttpResponse<String> response =
        watchdog.send(
            watchdog
                .request("/")
                .header("Content-Type", "text/x-request")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

    assertEquals("text/x-request", response.headers().firstValue("Content-Type").orElse(null));
  }

  @Test
  void returns500WithOutputAndExitCodeWhenFunctionFails() throws Exception {
    LocalWatchdog watchdog =
        watchdog("fprocess", script("echo to-stdout; echo to-stderr >&2; exit 3"));

    HttpResponse<String> response = watchdog.post("/", "");

    assertEquals(500, response.statusCode());
    assertTrue(response.body().contains("to-stdout"), response.body());
    assertTrue(response.body().contains("to-stderr"), response.body());
    assertEquals("3", response.headers().firstValue("X-Exit-Code").orElse(null));
  }

  @Test
  void keepsStderrOutOfBodyWithoutCombineOutput() throws Exception {
    LocalWatchdog watchdog =
        watchdog(
            "fprocess", script("echo to-stdout; echo to-stderr >&2"), "combine_output", "false");

    HttpResponse<String> response = watchdog.post("/", "");

    assertEquals(200, response.statusCode());
    assertEquals("to-stdout\n", response.body());
  }

  @Test
  void returns504AndKillsProcessTreeOnExecTimeout() throws Exception {
    String background = marker();
    String foreground = marker();
    LocalWatchdog watchdog =
        watchdog(
            "fprocess",
            script("sleep " + background + " &\nsleep " + foreground + "\necho too-late"),
            "exec_timeout",
            "1s");

    HttpResponse<String> response = watchdog.post("/", "");

    assertEquals(504, response.statusCode());
    assertTrue(response.body().contains("timeout"), response.body());
    assertEquals("true", response.headers().firstValue("X-Faas-Internal").orElse(null));
    Leftovers.awaitNone(background, LEFTOVER_LIMIT);
    Leftovers.awaitNone(foreground, LEFTOVER_LIMIT);
  }

  @Test
  void returns504OnWriteTimeout() throws Exception {
    String marker = marker();
    LocalWatchdog watchdog = watchdog("fprocess", script("sleep " + marker), "write_timeout", "1s");

    HttpResponse<String> response = watchdog.post("/", "");

    assertEquals(504, response.statusCode());
    assertFalse(response.body().isBlank());
    Leftovers.awaitNone(marker, LEFTOVER_LIMIT);
  }

  @Test
  void leavesNoBackgroundProcessBehind() throws Exception {
    String marker = marker();
    LocalWatchdog watchdog = watchdog("fprocess", script("sleep " + marker + " &\necho done"));

    HttpResponse<String> response = watchdog.post("/", "");

    assertEquals(200, response.statusCode());
    assertEquals("done\n", response.body());
    Leftovers.awaitNone(marker, Duration.ofSeconds(5));
  }

  @Test
  void returns429WhenInflightLimitReached() throws Exception {
    Path gate = dir.resolve("gate");
    LocalWatchdog watchdog =
        watchdog(
            "fprocess",
            script(
                "i=0; while [ ! -e "
                    + gate
                    + " ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; echo released"),
            "max_inflight",
            "1");
    CompletableFuture<HttpResponse<String>> first =
        LocalWatchdog.CLIENT.sendAsync(
            watchdog.request("/").POST(HttpRequest.BodyPublishers.ofString("")).build(),
            HttpResponse.BodyHandlers.ofString());
    try {
      Poll.tolerating(
          Duration.ofSeconds(30),
          "the first request in flight",
          () -> watchdog.metrics().contains("\nhttp_requests_in_flight 1\n"));

      HttpResponse<String> second = watchdog.post("/", "");

      assertEquals(429, second.statusCode());
      assertEquals("true", second.headers().firstValue("X-Faas-Internal").orElse(null));
      assertFalse(second.body().isBlank());
    } finally {
      Files.writeString(gate, "");
    }
    HttpResponse<String> firstResponse = first.get(60, TimeUnit.SECONDS);
    assertEquals(200, firstResponse.statusCode());
    assertEquals("released\n", firstResponse.body());
  }

  @Test
  void passesRequestAsCgiEnvironment() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "env");

    HttpResponse<String> response =
        watchdog.send(
            watchdog
                .request("/some/path?a=1&b=two")
                .header("X-Custom-Thing", "custom value")
                .header("Method", "DELETE")
                .method("PUT", HttpRequest.BodyPublishers.ofString("12345")));

    assertEquals(200, response.statusCode());
    Map<String, String> env = parseEnv(response.body());
    assertEquals("PUT", env.get("Http_Method"));
    assertEquals("/some/path", env.get("Http_Path"));
    assertEquals("a=1&b=two", env.get("Http_Query"));
    assertEquals("127.0.0.1:" + watchdog.port(), env.get("Http_Host"));
    assertEquals("5", env.get("Http_ContentLength"));
    assertEquals("custom value", env.get("Http_X_Custom_Thing"));
    for (String name : env.keySet()) {
      assertTrue(
          !name.startsWith("Http_") || name.matches("Http_[A-Za-z0-9_]+"), "unsafe name " + name);
    }
  }

  @Test
  void passesNoHeaderVariablesWithoutCgiHeaders() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "env", "cgi_headers", "false", "GREETING", "hi");

    HttpResponse<String> response =
        watchdog.send(watchdog.request("/p?q=1").header("X-Custom-Thing", "v").GET());

    assertEquals(200, response.statusCode());
    Map<String, String> env = parseEnv(response.body());
    assertEquals("hi", env.get("GREETING"));
    assertTrue(
        env.keySet().stream().noneMatch(name -> name.startsWith("Http_")), env.keySet().toString());
  }

  private static Map<String, String> parseEnv(String output) {
    Map<String, String> env = new HashMap<>();
    for (String line : output.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        env.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return env;
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\0b", "a\rb", "a\nb"})
  void returns400ForControlCharacterInHeaderValue(String value) throws Exception {
    Path ran = dir.resolve("ran");
    LocalWatchdog watchdog = watchdog("fprocess", script("touch " + ran + "; echo ran"));

    String reply =
        RawHttp.exchange(
            watchdog.port(),
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: "
                + value
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    assertEquals(400, RawHttp.status(reply), reply);
    assertFalse(Files.exists(ran), "the function must not run");
  }

  @Test
  void returns400ForBothContentLengthAndTransferEncoding() throws Exception {
    Path ran = dir.resolve("ran");
    LocalWatchdog watchdog = watchdog("fprocess", script("touch " + ran + "; cat"));

    String reply =
        RawHttp.exchange(
            watchdog.port(),
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n");

    assertEquals(400, RawHttp.status(reply), reply);
    assertFalse(Files.exists(ran), "the function must not run");
  }

  @Test
  void returns413BeforeStartingFunctionWhenContentLengthOverLimit() throws Exception {
    Path ran = dir.resolve("ran");
    LocalWatchdog watchdog =
        watchdog("fprocess", script("touch " + ran + "; cat"), "max_body_bytes", "1000");

    HttpResponse<String> response =
        watchdog.send(
            watchdog.request("/").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[8000])));

    assertEquals(413, response.statusCode());
    assertEquals("true", response.headers().firstValue("X-Faas-Internal").orElse(null));
    assertTrue(response.body().contains("max_body_bytes"), response.body());
    assertFalse(Files.exists(ran), "the function must not start");
  }

  @Test
  void returns413BeforeStartingFunctionWhenChunkedBodyOverLimit() throws Exception {
    Path ran = dir.resolve("ran");
    LocalWatchdog watchdog =
        watchdog("fprocess", script("touch " + ran + "; cat"), "max_body_bytes", "1000");

    HttpResponse<String> response =
        watchdog.send(
            watchdog
                .request("/")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(new byte[8000]))));

    assertEquals(413, response.statusCode());
    assertTrue(response.body().contains("max_body_bytes"), response.body());
    assertFalse(Files.exists(ran), "the function must not start");
  }

  @Test
  void acceptsChunkedBodyWithinLimit() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "cat", "max_body_bytes", "100000");
    byte[] body = new byte[50_000];
    new Random(7).nextBytes(body);

    HttpResponse<byte[]> response =
        watchdog.sendForBytes(
            watchdog
                .request("/")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body))));

    assertEquals(200, response.statusCode());
    assertArrayEquals(body, response.body());
  }

  @Test
  void returns502AndKillsFunctionWhenOutputOverLimit() throws Exception {
    String marker = marker();
    LocalWatchdog watchdog = watchdog("fprocess", "yes " + marker, "max_output_bytes", "100000");

    HttpResponse<String> response = watchdog.post("/", "");

    assertEquals(502, response.statusCode());
    assertTrue(response.body().contains("max_output_bytes"), response.body());
    assertTrue(response.body().length() < 1000, "the output itself is not sent");
    Leftovers.awaitNone(marker, LEFTOVER_LIMIT);
  }

  @Test
  void healthIs200WithLockFileAnd503WhenLockFileIsDeleted() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "cat");
    Path lock = dir.resolve(".lock");

    assertTrue(Files.exists(lock), "lock file in TMPDIR");
    assertEquals(200, watchdog.get("/_/health").statusCode());

    Files.delete(lock);

    assertEquals(503, watchdog.get("/_/health").statusCode());
  }

  @Test
  void writesNoLockFileWithSuppressLock() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "cat", "suppress_lock", "true");

    assertEquals(200, watchdog.get("/_/health").statusCode());
    assertFalse(Files.exists(dir.resolve(".lock")));
  }

  @Test
  void exposesPrometheusMetrics() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "cat");
    assertEquals(200, watchdog.post("/", "x").statusCode());

    Poll.tolerating(
        Duration.ofSeconds(10),
        "the request counted",
        () ->
            watchdog.metrics().contains("\nhttp_requests_total{code=\"200\",method=\"POST\"} 1\n"));
    HttpResponse<String> metrics = watchdog.get("/metrics");

    assertTrue(
        metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        metrics.headers().toString());
    String text = metrics.body();
    assertTrue(text.contains("# TYPE http_request_duration_seconds histogram"), text);
    assertTrue(
        text.contains(
            "http_request_duration_seconds_bucket{code=\"200\",method=\"POST\",le=\"+Inf\"} 1\n"),
        text);
    assertTrue(
        text.contains("http_request_duration_seconds_count{code=\"200\",method=\"POST\"} 1\n"),
        text);
    assertTrue(text.contains("\nhttp_requests_in_flight 0\n"), text);
  }

  @Test
  void servesMetricsOnMetricsPortAndPassesMetricsPathToFunction() throws Exception {
    int metricsPort;
    try (ServerSocket free = new ServerSocket(0)) {
      metricsPort = free.getLocalPort();
    }
    LocalWatchdog watchdog =
        watchdog(
            "fprocess",
            script("echo \"function saw $Http_Method $Http_Path\""),
            "metrics_port",
            Integer.toString(metricsPort));

    HttpResponse<String> onMainPort = watchdog.get("/metrics");
    HttpResponse<String> onMetricsPort =
        LocalWatchdog.CLIENT.send(
            HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                .timeout(LocalWatchdog.CALL_TIMEOUT)
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(200, onMainPort.statusCode());
    assertEquals("function saw GET /metrics\n", onMainPort.body());
    assertEquals(200, onMetricsPort.statusCode());
    assertTrue(onMetricsPort.body().contains("http_requests_in_flight"), onMetricsPort.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "PATCH"})
  void runsTheFunctionForTheClassicWatchdogsMethods(String method) throws Exception {
    Path seen = dir.resolve("seen");
    LocalWatchdog watchdog =
        watchdog("fprocess", script("echo \"$Http_Method\" > " + seen + "; echo \"$Http_Method\""));

    HttpResponse<String> response =
        watchdog.send(watchdog.request("/").method(method, HttpRequest.BodyPublishers.noBody()));

    assertEquals(200, response.statusCode());
    assertEquals(method + "\n", Files.readString(seen, StandardCharsets.UTF_8));
    assertEquals(method + "\n", response.body());
  }

  /** A HEAD must not run a function with side effects: the classic answers 405 and so do we. */
  @ParameterizedTest
  @ValueSource(strings = {"HEAD", "OPTIONS", "PROPFIND"})
  void answers405WithoutRunningTheFunctionForOtherMethods(String method) throws Exception {
    Path seen = dir.resolve("seen");
    LocalWatchdog watchdog = watchdog("fprocess", script("echo ran > " + seen));

    HttpResponse<String> response =
        watchdog.send(watchdog.request("/").method(method, HttpRequest.BodyPublishers.noBody()));

    assertEquals(405, response.statusCode());
    assertEquals(
        "GET, POST, PUT, PATCH, DELETE", response.headers().firstValue("Allow").orElse(null));
    assertEquals("true", response.headers().firstValue("X-Faas-Internal").orElse(null));
    assertEquals("HEAD".equals(method), response.body().isEmpty(), response.body());
    assertFalse(Files.exists(seen), "the function ran");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HEAD", "OPTIONS"})
  void answersTheClassicsEmpty405WithClassicAnswers(String method) throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "cat", "classic_answers", "true");

    HttpResponse<String> response =
        watchdog.send(watchdog.request("/").method(method, HttpRequest.BodyPublishers.noBody()));

    assertEquals(405, response.statusCode());
    assertEquals("", response.body());
    assertTrue(response.headers().firstValue("X-Faas-Internal").isEmpty());
  }

  @Test
  void passesContentLengthsPathAndFirstHeaderValueAsTheClassicWatchdog() throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", "env");

    Map<String, String> get =
        parseEnv(
            watchdog
                .send(
                    watchdog
                        .request("/p%20q/r%2Fs?x=%20y")
                        .header("X-Twice", "first")
                        .header("X-Twice", "second")
                        .GET())
                .body());
    assertEquals("0", get.get("Http_ContentLength"));
    assertEquals("0", get.get("Http_Content_Length"));
    assertEquals("/p q/r/s", get.get("Http_Path"));
    assertEquals("x=%20y", get.get("Http_Query"));
    assertEquals("first", get.get("Http_X_Twice"));
    assertEquals(null, get.get("Http_Transfer_Encoding"));

    Map<String, String> delete = parseEnv(watchdog.send(watchdog.request("/").DELETE()).body());
    assertEquals("0", delete.get("Http_Content_Length"));

    Map<String, String> sized = parseEnv(watchdog.post("/", "12345").body());
    assertEquals("5", sized.get("Http_ContentLength"));
    assertEquals("5", sized.get("Http_Content_Length"));

    HttpResponse<String> chunked =
        watchdog.send(
            watchdog
                .request("/")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream("chunked body".getBytes()))));
    Map<String, String> c = parseEnv(chunked.body());
    assertEquals("-1", c.get("Http_ContentLength"));
    assertEquals("-1", c.get("Http_Content_Length"));
    assertEquals("chunked", c.get("Http_Transfer_Encoding"));
  }

  /** Without content_type and without one on the request, the type is told from the output. */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "printf '<html><body>hi</body></html>'|text/html; charset=utf-8",
        "printf '  <!DOCTYPE html>\\n<p>x</p>'|text/html; charset=utf-8",
        "echo plain words|text/plain; charset=utf-8",
        "printf '{\"json\": true}'|text/plain; charset=utf-8",
        "printf '\\000\\001\\002binary'|application/octet-stream",
        "printf '\\211PNG\\r\\n\\032\\n....'|image/png",
        "true|",
      })
  void toldTheContentTypeFromTheOutputWhenNoneIsGiven(String body, String type) throws Exception {
    LocalWatchdog watchdog = watchdog("fprocess", script(body));

    HttpResponse<byte[]> response =
        watchdog.sendForBytes(watchdog.request("/").POST(HttpRequest.BodyPublishers.noBody()));

    assertEquals(200, response.statusCode());
    assertEquals(type, response.headers().firstValue("Content-Type").orElse(null));
  }

  @Test
  void answersTheClassicsExitStatusAndTimeoutWithClassicAnswers() throws Exception {
    LocalWatchdog failing =
        watchdog(
            "fprocess",
            script("echo to-stdout; exit 3"),
            "classic_answers",
            "true",
            "content_type",
            "application/json");

    HttpResponse<String> failed = failing.post("/", "");

    assertEquals(500, failed.statusCode());
    assertEquals("exit status 3\nto-stdout\n", failed.body());
    assertEquals(
        "text/plain; charset=utf-8", failed.headers().firstValue("Content-Type").orElse(null));
    assertEquals("3", failed.headers().firstValue("X-Exit-Code").orElse(null));

    String marker = marker();
    LocalWatchdog slow =
        watchdog(
            "fprocess", script("sleep " + marker), "exec_timeout", "1s", "classic_answers", "1");

    HttpResponse<String> killed = slow.post("/", "");

    assertEquals(408, killed.statusCode());
    assertEquals("Killed process.\n", killed.body());
    assertTrue(killed.headers().firstValue("X-Faas-Internal").isEmpty());
    Leftovers.awaitNone(marker, LEFTOVER_LIMIT);
  }
}
