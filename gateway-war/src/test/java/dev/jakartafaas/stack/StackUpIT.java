package dev.jakartafaas.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The quick start as a user runs it: {@code stack/up.sh}, then every sample function over HTTP,
 * then SIGTERM; afterwards no process it started may be left.
 */
class StackUpIT {

  private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).normalize();
  private static final Duration START = Duration.ofMinutes(4);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<ProcessHandle> started = new ArrayList<>();
  private Process up;
  private Path data;
  private Path log;
  private String base;

  @AfterEach
  void stopEverything() throws Exception {
    if (up != null && up.isAlive()) {
      up.destroy();
      if (!up.waitFor(60, TimeUnit.SECONDS)) {
        up.destroyForcibly();
      }
    }
    started.forEach(ProcessHandle::destroyForcibly);
    if (data != null) {
      leftovers().forEach(ProcessHandle::destroyForcibly);
      try (var files = Files.walk(data)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** Processes of this platform: replicas (by their marker) and anything they started. */
  private List<ProcessHandle> leftovers() throws IOException {
    String marker = "-Dfaas.replica.of=" + data.toAbsolutePath().normalize();
    String tmp = "TMPDIR=" + data.toAbsolutePath().normalize().resolve("tmp") + "/";
    List<ProcessHandle> found = new ArrayList<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline = Files.readString(p.resolve("cmdline"), StandardCharsets.ISO_8859_1);
          String environ = Files.readString(p.resolve("environ"), StandardCharsets.ISO_8859_1);
          boolean replica = List.of(cmdline.split("\0")).contains(marker);
          boolean started = List.of(environ.split("\0")).stream().anyMatch(e -> e.startsWith(tmp));
          if (replica || started) {
            ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(found::add);
          }
        } catch (IOException e) {
          // ended meanwhile
        }
      }
    }
    return found;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  private String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private void awaitReady(String function) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!call("GET", "/system/function/" + function, null)
        .body()
        .contains("\"availableReplicas\":1")) {
      assertTrue(System.nanoTime() < deadline, function + " never got ready:\n" + output());
      Thread.sleep(200);
    }
  }

  @Test
  void upShStartsThePlatformServesTheSamplesAndStopsEverything() throws Exception {
    data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "stack-it-");
    log = data.resolve("up.log");
    int port = freePort();
    base = "http://127.0.0.1:" + port;
    ProcessBuilder pb =
        new ProcessBuilder("bash", ROOT.resolve("stack/up.sh").toString(), "--port", "" + port)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("FAAS_DATA_DIR", data.toString());
    env.put("FAAS_PROCESS_WATCHDOG_JAR", System.getProperty("watchdog.jar"));
    up = pb.start();

    long deadline = System.nanoTime() + START.toNanos();
    while (!output().contains("Jakarta FaaS is up.")) {
      assertTrue(up.isAlive(), "up.sh exited:\n" + output());
      assertTrue(System.nanoTime() < deadline, "up.sh did not come up:\n" + output());
      Thread.sleep(250);
    }
    up.descendants().forEach(started::add);
    String out = output();
    assertTrue(out.contains(base + "/ui/"), out);
    assertTrue(out.contains(base + "/system/functions"), out);
    assertTrue(!out.contains("FAILED"), out);

    HttpResponse<String> echo = call("POST", "/function/echoit", "Hello, Function as a Service");
    assertEquals(200, echo.statusCode(), echo.body());
    assertEquals("Hello, Function as a Service", echo.body());

    String counts = call("POST", "/function/wordcount", "one two three\nfour\n").body().trim();
    assertEquals(List.of("2", "4", "19"), List.of(counts.split("\\s+")), counts);

    assertEquals("aGVsbG8gd29ybGQ=", call("POST", "/function/base64", "hello world").body().trim());
    assertEquals("hello world", call("POST", "/function/decodebase64", "aGVsbG8gd29ybGQ=").body());

    String node = call("GET", "/function/nodeinfo", null).body();
    for (String field : List.of("Hostname:", "OS:", "CPUs:", "Memory:", "Uptime:")) {
      assertTrue(node.contains(field), node);
    }

    HttpResponse<String> stash = call("POST", "/function/webhookstash", "keep this");
    assertEquals(200, stash.statusCode(), stash.body());
    Path stashed = data.resolve("webhookstash").resolve(stash.body().trim());
    assertEquals("keep this", Files.readString(stashed));

    if (Files.exists(ROOT.resolve("stack/functions/markdown/Markdown.java"))) {
      awaitReady("markdown");
      HttpResponse<String> html = call("POST", "/function/markdown", "# Title\n\nSome *text*.\n");
      assertEquals(200, html.statusCode(), html.body());
      assertTrue(html.body().contains("<h1>Title</h1>"), html.body());
    }

    String list = call("GET", "/system/functions", null).body();
    for (String name :
        List.of(
            "echoit",
            "wordcount",
            "base64",
            "decodebase64",
            "nodeinfo",
            "webhookstash",
            "markdown")) {
      assertTrue(list.contains("\"name\":\"" + name + "\""), name + " missing: " + list);
    }
    assertEquals(302, call("GET", "/", null).statusCode());
    assertTrue(!leftovers().isEmpty(), "replicas run while the platform is up");

    up.destroy();
    assertTrue(up.waitFor(90, TimeUnit.SECONDS), "up.sh did not stop on SIGTERM:\n" + output());
    assertTrue(output().contains("Stopped."), output());
    long stopDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (started.stream().anyMatch(ProcessHandle::isAlive) || !leftovers().isEmpty()) {
      assertTrue(
          System.nanoTime() < stopDeadline,
          "left running: "
              + started.stream().filter(ProcessHandle::isAlive).toList()
              + leftovers());
      Thread.sleep(100);
    }
  }
}
