package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A watchdog started in the test JVM on a loopback port chosen by the system, and an HTTP client
 * aimed at it. Every call is bounded by a generous timeout, so a hang fails the test instead of the
 * build.
 */
final class LocalWatchdog implements AutoCloseable {

  static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private final Watchdog watchdog;

  private LocalWatchdog(Watchdog watchdog) {
    this.watchdog = watchdog;
  }

  /**
   * Starts a watchdog with {@code env} on top of loopback-only defaults: port 0, {@code PATH} from
   * this JVM, the lock file in {@code tmpDir} and a write timeout long enough for a busy machine.
   */
  static LocalWatchdog start(Path tmpDir, Map<String, String> env) throws IOException {
    Map<String, String> all = new HashMap<>();
    all.put("bind_address", "127.0.0.1");
    all.put("port", "0");
    all.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    all.put("TMPDIR", tmpDir.toString());
    all.put("write_timeout", "60s");
    all.putAll(env);
    return new LocalWatchdog(Watchdog.start(WatchdogConfig.from(all)));
  }

  /** The name of the launcher that starts this watchdog's function processes. */
  String launcher() {
    return watchdog.reaper().launcher().name();
  }

  ProcessReaper.Strategy strategy() {
    return watchdog.reaper().strategy();
  }

  int port() {
    return watchdog.port();
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(CALL_TIMEOUT);
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).GET());
  }

  HttpResponse<String> post(String pathAndQuery, String body)
      throws IOException, InterruptedException {
    return send(request(pathAndQuery).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  String metrics() throws IOException, InterruptedException {
    return get("/metrics").body();
  }

  @Override
  public void close() {
    watchdog.close();
  }
}
