package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The watchdog: an HTTP server that turns any Unix process into a function. {@code main} reads the
 * environment, starts serving and, on SIGTERM, drains in-flight requests before exiting 0.
 */
public final class Watchdog implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Watchdog.class.getName());

  private final WatchdogConfig config;
  private final Http1Server server;
  private final Http1Server metricsServer;
  private final HealthHandler health;
  private final Metrics metrics;
  private final ProcessReaper reaper;
  private final UpstreamProcess upstream;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;

  private Watchdog(
      WatchdogConfig config,
      Http1Server server,
      Http1Server metricsServer,
      HealthHandler health,
      Metrics metrics,
      ProcessReaper reaper,
      UpstreamProcess upstream,
      ExecutorService workers,
      ScheduledExecutorService timers) {
    this.config = config;
    this.server = server;
    this.metricsServer = metricsServer;
    this.health = health;
    this.metrics = metrics;
    this.reaper = reaper;
    this.upstream = upstream;
    this.workers = workers;
    this.timers = timers;
  }

  public static void main(String[] args) {
    configureJdk();
    Watchdog watchdog;
    try {
      watchdog = start(WatchdogConfig.from(System.getenv()));
    } catch (WatchdogConfig.InvalidConfigException e) {
      System.err.println("watchdog: " + e.getMessage());
      System.exit(2);
      return;
    } catch (IOException e) {
      System.err.println("watchdog: cannot listen: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  watchdog.shutdownGracefully();
                  Runtime.getRuntime().halt(0);
                },
                "watchdog-shutdown"));
  }

  /** Chooses the cheapest process launch the JDK has, unless the user chose one. */
  static void configureJdk() {
    System.setProperty(
        "jdk.lang.Process.launchMechanism",
        System.getProperty("jdk.lang.Process.launchMechanism", "VFORK"));
  }

  /** Starts serving; the function process of {@code mode=http} starts in the background. */
  public static Watchdog start(WatchdogConfig config) throws IOException {
    List<String> command = new ArrayList<>(config.command());
    command.set(
        0,
        WatchdogConfig.resolveExecutable(command.get(0), config.environment().get("PATH"))
            .toString());
    Path lockFile = config.suppressLock() ? null : config.lockFile();
    HealthHandler health = new HealthHandler(lockFile);
    Metrics metrics = new Metrics();
    ProcessReaper reaper = ProcessReaper.detect(Launcher.of(config.launcher()));
    ExecutorService workers = workerPool("watchdog-worker");
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(1, daemon("watchdog-timer"));
    timers.setRemoveOnCancelPolicy(true);

    UpstreamProcess upstream = null;
    FunctionHandler.Invoker invoker;
    if (config.mode() == WatchdogConfig.Mode.HTTP) {
      upstream = new UpstreamProcess(config, command, reaper, health, timers);
      invoker = new ProxyHandler(config, upstream);
    } else {
      invoker = new ForkingHandler(config, command, reaper, workers, timers);
    }
    FunctionHandler handler = new FunctionHandler(config, metrics, health, invoker);
    Http1Server metricsServer = metricsServer(config, metrics, workers, timers);
    if (lockFile != null) {
      Files.writeString(lockFile, "");
      LOG.info("Lock file written to " + lockFile);
    }
    Http1Server server =
        Http1Server.start(
            config.bindAddress(),
            config.port(),
            handler,
            workers,
            timers,
            config.readTimeout(),
            config.writeTimeout());
    if (upstream != null) {
      upstream.start();
    } else {
      health.ready(true);
    }
    // after health.ready: the process backend takes a fork-mode start line on its port as ready
    LOG.info(() -> startLine(config, server, reaper));
    return new Watchdog(
        config, server, metricsServer, health, metrics, reaper, upstream, workers, timers);
  }

  /** The separate listener of {@code metrics_port}, or null when metrics share the main port. */
  private static Http1Server metricsServer(
      WatchdogConfig config,
      Metrics metrics,
      ExecutorService workers,
      ScheduledThreadPoolExecutor timers)
      throws IOException {
    if (config.metricsPort() == 0) {
      return null;
    }
    return Http1Server.start(
        config.bindAddress(),
        config.metricsPort(),
        exchange -> {
          if ("/metrics".equals(exchange.getRequestURI().getRawPath())) {
            MetricsHandler.answer(exchange, metrics);
          } else {
            Errors.send(exchange, 404, "Only /metrics is served on metrics_port.");
            exchange.close();
          }
        },
        workers,
        timers,
        config.readTimeout(),
        config.writeTimeout());
  }

  private static String startLine(WatchdogConfig config, Http1Server server, ProcessReaper reaper) {
    return "Watchdog listening on port "
        + server.port()
        + ", mode "
        + config.mode().name().toLowerCase(java.util.Locale.ROOT)
        + ", fprocess "
        + String.join(" ", config.command())
        + ", launcher "
        + reaper.launcher().name()
        + ", orphan strategy "
        + reaper.strategy();
  }

  public int port() {
    return server.port();
  }

  boolean healthy() {
    return health.healthy();
  }

  ProcessReaper reaper() {
    return reaper;
  }

  /**
   * SIGTERM: health turns 503 and new requests are refused at once; requests in flight get up to
   * {@code write_timeout} to finish (and the listener stays up at least {@code
   * healthcheck_interval}); then everything stops.
   */
  public void shutdownGracefully() {
    health.shutdown();
    if (config.lockFile() != null && !config.suppressLock()) {
      try {
        Files.deleteIfExists(config.lockFile());
      } catch (IOException e) {
        LOG.warning("Cannot remove lock file: " + e.getMessage());
      }
    }
    long start = System.nanoTime();
    Duration drain =
        config.writeTimeout().isZero() ? Duration.ofMinutes(10) : config.writeTimeout();
    long drainDeadline = start + drain.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
    long minimumDeadline = start + config.healthcheckInterval().toNanos();
    while (System.nanoTime() < drainDeadline
        && (metrics.inFlight().get() > 0 || System.nanoTime() < minimumDeadline)) {
      sleep(10);
    }
    LOG.info("Shutting down with " + metrics.inFlight().get() + " request(s) in flight");
    close();
  }

  @Override
  public void close() {
    health.shutdown();
    server.closeAll();
    if (metricsServer != null) {
      metricsServer.closeAll();
    }
    if (upstream != null) {
      upstream.stop();
    }
    reaper.sweep();
    reaper.close();
    timers.shutdownNow();
    workers.shutdownNow();
  }

  private static ExecutorService workerPool(String name) {
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), daemon(name));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread =
          new Thread(null, runnable, name + "-" + counter.incrementAndGet(), 256 * 1024);
      thread.setDaemon(true);
      return thread;
    };
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
