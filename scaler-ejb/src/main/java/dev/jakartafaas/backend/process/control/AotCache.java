package dev.jakartafaas.backend.process.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The replicas' AOT cache (Java 25, JEP 483/514): the watchdog's classes loaded and linked ahead of
 * time, so that a replica is ready sooner. Made once per java, watchdog jar and JVM options by a
 * training run (a watchdog with {@code fprocess=cat} that answers a few calls, then SIGTERM), kept
 * in {@code <faas.data-dir>/aot/} and reused after restarts; replicas started meanwhile run without
 * it.
 */
final class AotCache {

  private static final Logger LOG = Logger.getLogger(AotCache.class.getName());
  private static final String HOST = "127.0.0.1";
  private static final int TRAINING_CALLS = 20;
  private static final long EXIT_WAIT_SECONDS = 60;

  private final ProcessSettings settings;
  private final ReplicaJvm jvm;
  private final Map<String, String> gatewayEnv;
  private volatile Process training;
  private volatile boolean closed;

  AotCache(ProcessSettings settings, ReplicaJvm jvm, Map<String, String> gatewayEnv) {
    this.settings = settings;
    this.jvm = jvm;
    this.gatewayEnv = Map.copyOf(gatewayEnv);
  }

  private Path directory() {
    return settings.dataDir().resolve("aot");
  }

  /**
   * Uses the cache that fits the replicas' java, jar and options, making it first when there is
   * none; removes caches that fit no more. Blocks: run on a thread of its own.
   */
  void prepare() {
    if (!settings.aotCache() || !jvm.aotCapable() || !Files.isRegularFile(settings.watchdogJar())) {
      return;
    }
    try {
      Path cache = directory().resolve("watchdog-" + key() + ".aot");
      Files.createDirectories(directory());
      removeOthers(cache);
      if (!Files.isRegularFile(cache)) {
        train(cache);
      }
      if (Files.isRegularFile(cache) && !closed) {
        jvm.useAotCache(cache);
        LOG.info(() -> "process backend: replicas start with the AOT cache " + cache);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warning(() -> "process backend: no AOT cache for replicas: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops a training run that is still going. */
  void close() {
    closed = true;
    Process p = training;
    if (p != null) {
      p.destroyForcibly();
      ProcessGroups.killGroup(p.pid());
    }
  }

  /** What the cache depends on: the java's runtime, the jar's size and time, the options. */
  private String key() throws IOException {
    Path jar = settings.watchdogJar();
    StringBuilder what = new StringBuilder();
    what.append(Path.of(settings.java()).toAbsolutePath()).append('\n');
    Path release =
        CommandLookup.require(
                settings.java(),
                Map.of("PATH", gatewayEnv.getOrDefault("PATH", "")),
                settings.workDir())
            .toRealPath();
    what.append(release).append('\n');
    Path releaseFile = release.getParent().getParent().resolve("release");
    if (Files.isRegularFile(releaseFile)) {
      what.append(Files.readString(releaseFile, StandardCharsets.UTF_8));
    }
    what.append(jar)
        .append(' ')
        .append(Files.size(jar))
        .append(' ')
        .append(Files.getLastModifiedTime(jar).toMillis())
        .append('\n');
    what.append(String.join(" ", jvm.baseOptions()));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(what.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void removeOthers(Path keep) throws IOException {
    try (DirectoryStream<Path> all = Files.newDirectoryStream(directory())) {
      for (Path p : all) {
        if (!p.equals(keep)) {
          Leftovers.deleteTree(p);
        }
      }
    }
  }

  /** The training run: writes the cache next to its final name, then moves it there. */
  private void train(Path cache) throws IOException, InterruptedException {
    Path output = cache.resolveSibling(cache.getFileName() + ".new");
    Path tmp = directory().resolve("training-tmp");
    Files.createDirectories(tmp);
    int port = freePort();
    List<String> command = new ArrayList<>();
    if (!settings.setsid().isBlank()) {
      command.add(settings.setsid()); // a group of its own: the JVM assembling the cache joins it
    }
    command.add(settings.java());
    command.addAll(jvm.baseOptions());
    command.add("-XX:AOTCacheOutput=" + output);
    command.add(settings.ownerMarker());
    command.add("-Dfaas.replica.name=aot-training");
    command.add("-jar");
    command.add(settings.watchdogJar().toString());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.directory(settings.workDir().toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(directory().resolve("training.log").toFile());
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : settings.envAllowList()) {
      String value = gatewayEnv.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.put(ReplicaCommand.FPROCESS, "cat");
    env.put(ReplicaCommand.PORT, Integer.toString(port));
    env.put(ReplicaCommand.BIND_ADDRESS, HOST);
    env.put(ReplicaCommand.TMPDIR, tmp.toString());
    pb.environment().clear();
    pb.environment().putAll(env);
    long started = System.nanoTime();
    Process p = pb.start();
    training = p;
    try {
      p.getOutputStream().close();
      if (closed || !awaitHealthy(p, port)) {
        throw new IOException("the training replica did not get ready (see training.log)");
      }
      for (int i = 0; i < TRAINING_CALLS && !closed; i++) {
        call(port, "training call " + i);
      }
      p.destroy(); // SIGTERM: the JVM writes the cache as it exits
      if (!p.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("the training replica did not exit in " + EXIT_WAIT_SECONDS + " s");
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
      ProcessGroups.killGroup(p.pid());
      training = null;
      Leftovers.deleteTree(tmp);
    }
    if (closed || !Files.isRegularFile(output)) {
      Files.deleteIfExists(output);
      throw new IOException("the training run wrote no cache (see training.log)");
    }
    Files.move(output, cache, StandardCopyOption.ATOMIC_MOVE);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    LOG.info(() -> "process backend: AOT cache made in " + millis + " ms: " + cache);
  }

  private boolean awaitHealthy(Process p, int port) throws InterruptedException {
    long deadline = System.nanoTime() + settings.readyTimeout().toNanos();
    while (p.isAlive() && !closed && System.nanoTime() < deadline) {
      if (HealthProbe.isReady(HOST, port, 1000)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** One invocation, read to the end; its answer does not matter, only that it ran. */
  private static void call(int port, String body) throws IOException {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), 1000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: "
                  + content.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(content);
      out.flush();
      InputStream in = s.getInputStream();
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
