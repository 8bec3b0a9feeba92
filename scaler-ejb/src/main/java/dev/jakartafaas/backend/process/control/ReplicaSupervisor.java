package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps every function's replicas at the desired count ({@link ReplicaPlan} decides): starts them
 * ({@link ReplicaLaunch}), health-checks them before they get traffic, replaces dead ones (with a
 * backoff when they keep dying), rolls updates, and stops them with SIGTERM, then SIGKILL with
 * their process group after the stop timeout.
 */
final class ReplicaSupervisor {

  private static final Logger LOG = Logger.getLogger(ReplicaSupervisor.class.getName());
  private static final String HOST = "127.0.0.1";
  private static final Duration TICK = Duration.ofMillis(500);
  private static final Duration POLL = Duration.ofMillis(20);

  /**
   * Health requests wait for the start line this long at most: one sent while the watchdog has
   * bound its port but is not ready yet would hold a cold JVM's first request (some 20 ms).
   */
  private static final Duration SILENT = Duration.ofSeconds(1);

  private final ProcessSettings settings;
  private final ReplicaLaunch launch;
  private final SecretStore secrets;
  private final ThreadFactory threads;
  private final Consumer<ReplicaAddress> onStopped;
  private ScheduledExecutorService scheduler;
  private ExecutorService workers;
  private volatile boolean closed;

  /**
   * @param onStopped told when a replica has left the ready set for good
   */
  ReplicaSupervisor(
      ProcessSettings settings,
      ReplicaLaunch launch,
      SecretStore secrets,
      ThreadFactory threads,
      Consumer<ReplicaAddress> onStopped) {
    this.settings = settings;
    this.launch = launch;
    this.secrets = secrets;
    this.threads = threads;
    this.onStopped = onStopped;
  }

  /** Starts looking at every function of {@code all} twice a second. */
  synchronized void start(Supplier<Collection<FunctionReplicas>> all) {
    scheduler = Executors.newSingleThreadScheduledExecutor(threads);
    workers = Executors.newCachedThreadPool(threads);
    scheduler.scheduleWithFixedDelay(
        () -> tick(all.get()), 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean closed() {
    return closed;
  }

  private void tick(Collection<FunctionReplicas> all) {
    try {
      for (FunctionReplicas fr : all) {
        reconcile(fr);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "replica supervision failed", e);
    }
  }

  /** Starts and stops replicas of the function as its plan says, now. */
  void reconcile(FunctionReplicas fr) {
    synchronized (fr) {
      if (closed || fr.removed) {
        return;
      }
      List<ReplicaPlan.Replica> snapshots = new ArrayList<>();
      for (Replica r : fr.replicas) {
        snapshots.add(r.snapshot());
      }
      ReplicaPlan.Decision decision =
          ReplicaPlan.decide(
              fr.desired, fr.generation, snapshots, !Instant.now().isBefore(fr.startAllowedAt));
      for (String instance : decision.stop()) {
        Replica r = fr.find(instance);
        if (r != null) {
          stop(fr, r);
        }
      }
      if (decision.start() > 0 && !Files.isRegularFile(settings.watchdogJar())) {
        failure(fr, "cannot start a replica: no watchdog jar at " + settings.watchdogJar(), null);
        return;
      }
      for (int i = 0; i < decision.start(); i++) {
        launch(fr);
      }
    }
  }

  /** Stops every replica of a function that is being removed. */
  void stopAll(FunctionReplicas fr) {
    synchronized (fr) {
      fr.removed = true;
      for (Replica r : new ArrayList<>(fr.replicas)) {
        stop(fr, r);
      }
    }
  }

  /** Called with the function's lock held. */
  private void launch(FunctionReplicas fr) {
    int port;
    try {
      port = freePort();
    } catch (IOException e) {
      failure(fr, "cannot find a free port: " + e.getMessage(), null);
      return;
    }
    String instance = fr.name + "-" + (++fr.sequence);
    Replica r =
        new Replica(
            new ReplicaAddress(fr.name, instance, HOST, port), fr.generation, Instant.now());
    fr.replicas.add(r);
    FunctionDeployment deployment = fr.deployment;
    workers.execute(() -> run(fr, r, deployment));
  }

  /** On a worker: starts the replica's process, then waits for it to get ready. */
  private void run(FunctionReplicas fr, Replica r, FunctionDeployment deployment) {
    Process p;
    try {
      p = launch.start(r, deployment);
    } catch (IOException | RuntimeException e) {
      synchronized (fr) {
        fr.replicas.remove(r);
        failure(fr, "cannot start replica " + r.instance() + ": " + describe(e), r);
      }
      return;
    }
    boolean stopNow;
    synchronized (fr) {
      r.process = p;
      stopNow = closed || r.state == ReplicaState.STOPPING;
    }
    Thread pump = threads.newThread(() -> ReplicaOutput.pump(fr, r, p.getInputStream()));
    r.pump = pump;
    pump.start();
    p.onExit().thenRun(() -> exited(fr, r, p));
    if (stopNow) {
      p.destroy();
      scheduleKill(p);
      return;
    }
    ReplicaOutput.note(fr, r, "replica started, pid " + p.pid() + ", port " + r.address.port());
    awaitReady(fr, r, p);
  }

  /**
   * Probes the replica's health until it answers 200, it dies, or the ready timeout passes: from
   * its start line on (or after a second without one) every 20 ms, and at once when the line
   * appears. A fork-mode start line on the replica's port says ready by itself (the watchdog prints
   * it once its health check answers 200), which saves the first request into a cold JVM; an
   * http-mode replica is ready only when its health check says its function is.
   */
  private void awaitReady(FunctionReplicas fr, Replica r, Process p) {
    long start = System.nanoTime();
    long deadline = start + settings.readyTimeout().toNanos();
    long probeAnyway = start + SILENT.toNanos();
    while (p.isAlive() && r.state == ReplicaState.STARTING && System.nanoTime() < deadline) {
      boolean ask = r.startLineSeen || System.nanoTime() > probeAnyway;
      if (r.readyByStartLine || (ask && HealthProbe.isReady(HOST, r.address.port(), 1000))) {
        synchronized (fr) {
          if (r.state == ReplicaState.STARTING) {
            r.state = ReplicaState.READY;
            fr.failures = 0;
            fr.problem = null;
            fr.publishReady();
          }
        }
        ReplicaOutput.note(fr, r, "replica ready");
        reconcile(fr);
        return;
      }
      try {
        // the start line wakes this at once
        r.startLine.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (p.isAlive() && r.state == ReplicaState.STARTING) {
      synchronized (fr) {
        failure(
            fr,
            "replica did not get ready within " + settings.readyTimeout().toMillis() + " ms",
            r);
        stop(fr, r);
      }
    }
  }

  private void exited(FunctionReplicas fr, Replica r, Process p) {
    boolean unexpected;
    if (r.state != ReplicaState.STOPPING) {
      ReplicaOutput.awaitLast(r); // its last line tells why it ended
    }
    synchronized (fr) {
      unexpected = r.state != ReplicaState.STOPPING && !closed && !fr.removed;
      fr.replicas.remove(r);
      r.state = ReplicaState.STOPPING;
      fr.publishReady();
      if (unexpected) {
        failure(fr, "replica exited unexpectedly with status " + p.exitValue(), r);
      } else {
        ReplicaOutput.note(fr, r, "replica stopped, status " + p.exitValue());
      }
    }
    ProcessGroups.killGroup(p.pid());
    launch.cleanUp(r);
    onStopped.accept(r.address);
    if (unexpected) {
      reconcile(fr);
    }
  }

  /** Called with the function's lock held: takes the replica out of the ready set, then SIGTERM. */
  private void stop(FunctionReplicas fr, Replica r) {
    if (r.state == ReplicaState.STOPPING) {
      return;
    }
    r.state = ReplicaState.STOPPING;
    fr.publishReady();
    Process p = r.process;
    if (p == null) {
      return;
    }
    // out of the ready set now; SIGTERM only after the drain delay, so a request the gateway sent
    // on a kept-alive connection just before is not met by a replica that is closing
    Runnable terminate =
        () -> {
          p.destroy();
          scheduleKill(p);
        };
    if (closed || settings.drainDelay().isZero()) {
      terminate.run();
      return;
    }
    try {
      scheduler.schedule(terminate, settings.drainDelay().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      terminate.run(); // closing
    }
  }

  private void scheduleKill(Process p) {
    try {
      scheduler.schedule(
          () -> terminate(p), settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // closing: close() terminates every process itself
    }
  }

  private static void terminate(Process p) {
    if (p.isAlive()) {
      p.destroyForcibly();
    }
    ProcessGroups.killGroup(p.pid());
  }

  /**
   * Called with the function's lock held: counts the failure, delays the next start, and keeps the
   * reason, with the replica's last line of output (secrets' values masked), for the API and for
   * calls that find no ready replica.
   */
  private void failure(FunctionReplicas fr, String message, Replica r) {
    fr.failures++;
    fr.startAllowedAt = Instant.now().plus(ReplicaPlan.backoff(fr.failures));
    String lastLine = r == null ? null : r.lastLine;
    String reason = (r == null ? "" : r.instance() + ": ") + message;
    if (lastLine != null && !lastLine.isBlank()) {
      reason +=
          "; its last output: "
              + SecretMask.mask(lastLine, secrets.values(fr.deployment.secrets()));
    }
    fr.problem = new FunctionProblem(reason, fr.failures, Instant.now());
    LOG.warning(() -> "function " + fr.name + ": " + message);
    ReplicaOutput.note(fr, r, message);
  }

  /**
   * Stops every replica of {@code all} (SIGTERM, then SIGKILL after the stop timeout) and the
   * supervision's threads.
   *
   * @return how many replicas were stopped
   */
  int close(Collection<FunctionReplicas> all) {
    synchronized (this) {
      if (closed || scheduler == null) {
        closed = true;
        return -1;
      }
      closed = true;
    }
    List<Process> processes = new ArrayList<>();
    for (FunctionReplicas fr : all) {
      synchronized (fr) {
        for (Replica r : new ArrayList<>(fr.replicas)) {
          if (r.process != null) {
            processes.add(r.process);
          }
          stop(fr, r);
        }
      }
    }
    awaitOrKill(processes);
    scheduler.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return processes.size();
  }

  /** Gives the stopping processes the stop timeout together, then kills what is left. */
  private void awaitOrKill(List<Process> processes) {
    long deadline = System.nanoTime() + settings.stopTimeout().toNanos();
    for (Process p : processes) {
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          p.waitFor(left, TimeUnit.NANOSECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Process p : processes) {
      terminate(p);
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
