package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Poll;
import java.io.ByteArrayInputStream;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mode=http} end to end: the watchdog starts {@link FakeUpstream} (or the sample Markdown
 * function) in a JVM of its own and proxies real HTTP to it.
 */
class HttpModeTest {

  /** A JVM has to start (and, for the sample, compile its source) on a busy machine. */
  private static final Duration STARTUP = Duration.ofSeconds(90);

  private static final String JAVA =
      ProcessHandle.current()
          .info()
          .command()
          .orElse(System.getProperty("java.home") + "/bin/java");

  @TempDir Path dir;

  private LocalWatchdog watchdog;

  @AfterEach
  void stop() {
    if (watchdog != null) {
      watchdog.close();
    }
  }

  private static String testClasses() throws URISyntaxException {
    return Path.of(FakeUpstream.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }

  private LocalWatchdog start(String... keysAndValues) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("mode", "http");
    env.put("fprocess", JAVA + " -cp " + testClasses() + " " + FakeUpstream.class.getName());
    for (int i = 0; i < keysAndValues.length; i += 2) {
      env.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    watchdog = LocalWatchdog.start(dir, env);
    return watchdog;
  }

  private void awaitHealthy() throws Exception {
    Poll.tolerating(STARTUP, "health 200", () -> watchdog.get("/_/health").statusCode() == 200);
  }

  @Test
  void healthIs503UntilUpstreamListens() throws Exception {
    Path gate = dir.resolve("listen");
    start("TEST_UPSTREAM_GATE", gate.toString());

    assertEquals(503, watchdog.get("/_/health").statusCode());

    Files.writeString(gate, "");

    awaitHealthy();
  }

  @Test
  void proxiesMethodPathQueryHeadersAndBody() throws Exception {
    start();
    awaitHealthy();

    HttpResponse<String> response =
        watchdog.send(
            watchdog
                .request("/info?a=1&b=two%20words")
                .header("X-Test", "hello")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("payload")));

    assertEquals(201, response.statusCode());
    assertEquals(
        "method=PATCH\npath=/info\nquery=a=1&b=two%20words\nx-test=hello\nbody=payload\n",
        response.body());
    assertEquals("test", response.headers().firstValue("X-Upstream").orElse(null));
    assertTrue(response.headers().firstValue("X-Duration-Seconds").isPresent());
  }

  @Test
  void proxiesOneMegabyteByteExactBothWays() throws Exception {
    start();
    awaitHealthy();
    byte[] body = new byte[1024 * 1024];
    new Random(11).nextBytes(body);

    HttpResponse<byte[]> response =
        watchdog.sendForBytes(
            watchdog.request("/echo").POST(HttpRequest.BodyPublishers.ofByteArray(body)));

    assertEquals(200, response.statusCode());
    assertArrayEquals(body, response.body());
  }

  @Test
  void streamsChunkedRequestAndResponse() throws Exception {
    start();
    awaitHealthy();
    byte[] body = new byte[1024 * 1024 + 17];
    new Random(12).nextBytes(body);

    HttpResponse<byte[]> response =
        watchdog.sendForBytes(
            watchdog
                .request("/stream")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body))));

    assertEquals(200, response.statusCode());
    assertArrayEquals(body, response.body());
  }

  @Test
  void returns504WhenUpstreamExceedsExecTimeout() throws Exception {
    start("exec_timeout", "1s");
    awaitHealthy();

    HttpResponse<String> response = watchdog.get("/sleep?ms=30000");

    assertEquals(504, response.statusCode());
    assertEquals("true", response.headers().firstValue("X-Faas-Internal").orElse(null));
    assertTrue(response.body().contains("exec_timeout"), response.body());
  }

  @Test
  void restartsUpstreamThatDied() throws Exception {
    start();
    awaitHealthy();
    String firstPid = watchdog.get("/pid").body();

    HttpResponse<String> dying = watchdog.get("/exit");

    assertTrue(dying.statusCode() >= 500, "status " + dying.statusCode());
    Poll.tolerating(
        STARTUP,
        "a new upstream serving",
        () -> {
          HttpResponse<String> pid = watchdog.get("/pid");
          return pid.statusCode() == 200 && !pid.body().equals(firstPid);
        });
    assertNotEquals(firstPid, watchdog.get("/pid").body());
    assertEquals(200, watchdog.post("/echo", "again").statusCode());
  }

  @Test
  void servesSampleMarkdownFunction() throws Exception {
    Path source = Path.of("../stack/functions/markdown/Markdown.java").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(source), source.toString());
    start("fprocess", JAVA + " " + source);
    awaitHealthy();

    HttpResponse<String> heading = watchdog.post("/", "# Hi");
    HttpResponse<String> script = watchdog.post("/", "<script>alert(1)</script>");

    assertEquals(200, heading.statusCode());
    assertEquals("<h1>Hi</h1>", heading.body().strip());
    assertTrue(
        heading.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
        heading.headers().toString());
    assertEquals(200, script.statusCode());
    assertTrue(script.body().contains("&lt;script&gt;"), script.body());
    assertTrue(!script.body().contains("<script>"), script.body());
  }

  @Test
  void answersMetricsAndHealthItselfInHttpMode() throws Exception {
    start();
    awaitHealthy();
    assertEquals(200, watchdog.post("/echo", "x").statusCode());

    Poll.tolerating(
        Duration.ofSeconds(10),
        "the proxied request counted",
        () -> watchdog.metrics().contains("http_requests_total{code=\"200\",method=\"POST\"} 1\n"));
  }
}
