package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jakartafaas.testing.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real entry point in a JVM of its own, as a container runs it: {@code Watchdog.main} reading
 * its environment, leading its own process group (started through {@code setsid}), and answering
 * SIGTERM.
 */
class ProcessTest {

  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final Pattern LISTENING = Pattern.compile("Watchdog listening on port (\\d+)");
  private static final String JAVA =
      ProcessHandle.current()
          .info()
          .command()
          .orElse(System.getProperty("java.home") + "/bin/java");

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();
  private final List<String> markers = new ArrayList<>();

  @AfterEach
  void killEverything() throws InterruptedException {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    markers.forEach(Leftovers::kill);
  }

  /** The watchdog JVM, started with exactly {@code env} plus loopback defaults. */
  private Process launch(Map<String, String> extra) throws Exception {
    String classes =
        Path.of(Watchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            "/usr/bin/setsid", JAVA, "-cp", classes, "dev.jakartafaas.watchdog.Watchdog");
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("TMPDIR", dir.toString());
    env.put("bind_address", "127.0.0.1");
    env.put("port", "0");
    env.putAll(extra);
    builder.redirectOutput(dir.resolve("stdout.log").toFile());
    builder.redirectError(dir.resolve("stderr.log").toFile());
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private String stderr() throws IOException {
    Path log = dir.resolve("stderr.log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private int awaitPort(Process process) throws Exception {
    int[] port = {0};
    Poll.tolerating(
        STARTUP,
        "the watchdog to listen",
        () -> {
          if (!process.isAlive()) {
            fail("watchdog exited with " + process.exitValue() + ":\n" + stderr());
          }
          Matcher m = LISTENING.matcher(stderr());
          if (m.find()) {
            port[0] = Integer.parseInt(m.group(1));
            return true;
          }
          return false;
        });
    return port[0];
  }

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(LocalWatchdog.CALL_TIMEOUT);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return LocalWatchdog.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String script(String body) throws IOException {
    return TestWatchdogs.script(dir, body);
  }

  @Test
  void finishesInFlightRequestAndExitsZeroOnSigterm() throws Exception {
    Path gate = dir.resolve("gate");
    String fprocess =
        script(
            "i=0; while [ ! -e "
                + gate
                + " ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done\n"
                + "i=0; while [ $i -lt 3000 ]; do echo line-$i; i=$((i+1)); done");
    Process watchdog = launch(Map.of("fprocess", fprocess, "write_timeout", "60s"));
    int port = awaitPort(watchdog);
    assertTrue(stderr().contains("orphan strategy OWN_GROUP"), stderr());
    CompletableFuture<HttpResponse<String>> inFlight =
        LocalWatchdog.CLIENT.sendAsync(
            request(port, "/").POST(HttpRequest.BodyPublishers.ofString("")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> refused;
    try {
      Poll.tolerating(
          Duration.ofSeconds(30),
          "the request in flight",
          () -> send(request(port, "/metrics")).body().contains("\nhttp_requests_in_flight 1\n"));

      watchdog.destroy(); // SIGTERM

      Poll.tolerating(
          Duration.ofSeconds(30),
          "health 503 after SIGTERM",
          () -> send(request(port, "/_/health")).statusCode() == 503);
      refused = send(request(port, "/").POST(HttpRequest.BodyPublishers.ofString("")));
    } finally {
      Files.writeString(gate, "");
    }

    assertEquals(503, refused.statusCode());
    assertEquals("true", refused.headers().firstValue("X-Faas-Internal").orElse(null));
    HttpResponse<String> finished = inFlight.get(60, TimeUnit.SECONDS);
    assertEquals(200, finished.statusCode());
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      expected.append("line-").append(i).append('\n');
    }
    assertEquals(expected.toString(), finished.body());
    assertTrue(watchdog.waitFor(60, TimeUnit.SECONDS), "the watchdog exits");
    assertEquals(0, watchdog.exitValue(), stderr());
  }

  @Test
  void keepsAnsweringHealth503ForHealthcheckIntervalAfterSigterm() throws Exception {
    Process watchdog = launch(Map.of("fprocess", "cat", "healthcheck_interval", "5s"));
    int port = awaitPort(watchdog);
    assertEquals(200, send(request(port, "/_/health")).statusCode());

    watchdog.destroy(); // SIGTERM

    Poll.tolerating(
        Duration.ofSeconds(30),
        "health 503 while the listener stays up",
        () -> send(request(port, "/_/health")).statusCode() == 503);
    assertTrue(watchdog.waitFor(60, TimeUnit.SECONDS), "the watchdog exits");
    assertEquals(0, watchdog.exitValue(), stderr());
    assertTrue(Files.notExists(dir.resolve(".lock")), "lock file removed on shutdown");
  }

  @Test
  void logsEachRequestWithWriteDebug() throws Exception {
    Process watchdog = launch(Map.of("fprocess", "cat", "write_debug", "true"));
    int port = awaitPort(watchdog);

    HttpResponse<String> response =
        send(request(port, "/debugged").POST(HttpRequest.BodyPublishers.ofString("abc")));

    assertEquals(200, response.statusCode());
    Poll.tolerating(
        Duration.ofSeconds(30),
        "the request in the log",
        () -> stderr().contains("POST /debugged -> 200"));
  }

  @Test
  void leavesNoBackgroundProcessBehindInOwnProcessGroup() throws Exception {
    String marker = Leftovers.uniqueSleep();
    markers.add(marker);
    Process watchdog =
        launch(
            Map.of(
                "fprocess", script("sleep " + marker + " &\necho done"), "write_timeout", "60s"));
    int port = awaitPort(watchdog);

    HttpResponse<String> response =
        send(request(port, "/").POST(HttpRequest.BodyPublishers.ofString("")));

    assertEquals(200, response.statusCode());
    assertEquals("done\n", response.body());
    Leftovers.awaitNone(marker, Duration.ofSeconds(5));
  }

  @Test
  void exitsNonZeroNamingBadVariable() throws Exception {
    Process watchdog = launch(Map.of("fprocess", "cat", "port", "abc"));

    assertTrue(watchdog.waitFor(60, TimeUnit.SECONDS), "the watchdog exits");
    assertNotEquals(0, watchdog.exitValue());
    assertTrue(stderr().contains("port=abc"), stderr());
  }

  @Test
  void disconnectsClientThatStallsInRequestLine() throws Exception {
    Process watchdog = launch(Map.of("fprocess", "cat", "read_timeout", "1s"));
    int port = awaitPort(watchdog);

    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write("GET /_/health HT".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      try {
        byte[] buffer = new byte[1024];
        while (in.read(buffer) >= 0) {
          // An error answer is fine; the connection must end.
        }
      } catch (SocketTimeoutException e) {
        fail("the watchdog kept a stalled connection open for 15 s");
      } catch (SocketException e) {
        // Reset: disconnected.
      }
    }
  }
}
