package dev.jakartafaas.stack;

import dev.jakartafaas.testing.Poll;
import dev.jakartafaas.testing.ProcFs;
import dev.jakartafaas.testing.Trees;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code stack/up.sh} started as a user starts it, on a free port with its own data directory, for
 * system tests; closing it stops it and kills whatever it left behind.
 */
final class UpSh implements AutoCloseable {

  static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).normalize();
  private static final Duration START = Duration.ofMinutes(4);

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final Path data;
  final String base;
  private final Path log;
  private final Process up;
  private final List<ProcessHandle> started = new ArrayList<>();
  private final Map<String, String> extraEnv;
  private boolean ownsData = true;

  /** Starts up.sh and waits until it says the platform is up. */
  UpSh() throws Exception {
    this(Map.of());
  }

  /** Starts up.sh with these extra environment variables (faas.* keys the MicroProfile way). */
  UpSh(Map<String, String> extraEnv) throws Exception {
    this(extraEnv, null);
  }

  /** Starts up.sh on this data directory, or on a new one when null. */
  private UpSh(Map<String, String> extraEnv, Path reuse) throws Exception {
    this.extraEnv = Map.copyOf(extraEnv);
    data =
        reuse != null
            ? reuse
            : Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "stack-it-");
    log = data.resolve("up-" + System.nanoTime() + ".log");
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
    env.putAll(extraEnv);
    up = pb.start();
    try {
      Poll.until(
          START,
          this::startFailure,
          () -> {
            if (!up.isAlive()) {
              throw new AssertionError(startFailure());
            }
            return output().contains("Jakarta FaaS is up.");
          });
    } catch (Exception | AssertionError e) {
      // nobody gets this instance to close: stop what the failed start left running
      up.descendants().forEach(ProcessHandle::destroyForcibly);
      up.destroyForcibly();
      leftovers().forEach(ProcessHandle::destroyForcibly);
      if (reuse == null) {
        Trees.delete(data);
      }
      throw e;
    }
    up.descendants().forEach(started::add);
  }

  /** What up.sh and the gateway printed, for a failed start. */
  private String startFailure() {
    try {
      String log = gatewayLog();
      return (up.isAlive() ? "up.sh did not come up:\n" : "up.sh exited:\n")
          + output()
          + "\nend of the gateway's log:\n"
          + log.substring(Math.max(0, log.length() - 6000));
    } catch (IOException e) {
      return "up.sh did not come up (" + e + ")";
    }
  }

  /** The gateway's own log (Payara's output). */
  String gatewayLog() throws IOException {
    Path gateway = data.resolve("gateway.log");
    return Files.exists(gateway) ? Files.readString(gateway, StandardCharsets.ISO_8859_1) : "";
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Calls the gateway with the credentials up.sh generated. */
  HttpResponse<String> call(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", authorization())
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  /** The password up.sh generated into the data directory. */
  String password() throws IOException {
    return Files.readString(data.resolve("basic-auth-password")).strip();
  }

  String authorization() throws IOException {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(("admin:" + password()).getBytes(StandardCharsets.UTF_8));
  }

  /** Sends SIGTERM as Ctrl-C would and waits (bounded) until up.sh has exited. */
  boolean stop() throws Exception {
    up.destroy();
    return up.waitFor(90, TimeUnit.SECONDS);
  }

  /**
   * Stops this platform as Ctrl-C would and starts up.sh again on the same data directory (a
   * gateway restart, on another free port); the new one owns the data directory from then on.
   */
  UpSh restart() throws Exception {
    if (!stop()) {
      throw new AssertionError("up.sh did not stop within 90 s");
    }
    ownsData = false;
    return new UpSh(extraEnv, data);
  }

  /** The gateway's JVM (Payara Micro), started by up.sh. */
  ProcessHandle gateway() {
    return started.stream()
        .filter(
            p ->
                p.info()
                    .arguments()
                    .map(a -> String.join(" ", a))
                    .orElse("")
                    .contains("payara-micro"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Payara Micro process among up.sh's children"));
  }

  /** What up.sh started: its child processes seen once it was up. */
  List<ProcessHandle> started() {
    return started;
  }

  /** Processes of this platform: replicas (by their marker) and anything they started. */
  List<ProcessHandle> leftovers() {
    String marker = "-Dfaas.replica.of=" + data.toAbsolutePath().normalize();
    String tmp = "TMPDIR=" + data.toAbsolutePath().normalize().resolve("tmp") + "/";
    return ProcFs.processes(
            p ->
                p.arguments().contains(marker)
                    || p.environment().stream().anyMatch(e -> e.startsWith(tmp)))
        .stream()
        .flatMap(p -> p.handle().stream())
        .toList();
  }

  @Override
  public void close() throws Exception {
    if (up.isAlive()) {
      up.destroy();
      if (!up.waitFor(60, TimeUnit.SECONDS)) {
        up.destroyForcibly();
      }
    }
    started.forEach(ProcessHandle::destroyForcibly);
    if (ownsData) {
      leftovers().forEach(ProcessHandle::destroyForcibly);
      Trees.delete(data);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
