package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.problems.entity.BackendUnavailableException;
import dev.jakartafaas.problems.entity.FunctionExistsException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.problems.entity.SecretExistsException;
import dev.jakartafaas.problems.entity.SecretInUseException;
import dev.jakartafaas.problems.entity.SecretNotFoundException;
import dev.jakartafaas.secrets.entity.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs every function's replicas as local watchdog processes and keeps them at the desired count:
 * starts, health-checks, replaces dead ones (with a backoff when they keep dying), rolls updates,
 * stops with SIGTERM then SIGKILL, and leaves no child behind when closed.
 */
public final class ProcessFunctions implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ProcessFunctions.class.getName());
  private static final String HOST = "127.0.0.1";
  private static final Duration TICK = Duration.ofMillis(500);
  private static final int MAX_LINE = 8192;
  private static final String SHELL = "/bin/sh";
  private static final Duration OUTPUT_WAIT = Duration.ofMillis(500);

  private final ProcessSettings settings;
  private final LimitSettings limits;
  private final Map<String, String> gatewayEnv;
  private final ThreadFactory threads;
  private final Consumer<ReplicaAddress> onStopped;
  private final FunctionStore store;
  private final SecretStore secrets;

  /**
   * Held while secrets change and while a deployment's secrets are checked and it is registered, so
   * that a secret cannot be deleted between the check and a function starting to use it.
   */
  private final Object secretsLock = new Object();

  private final ConcurrentHashMap<String, FunctionReplicas> functions = new ConcurrentHashMap<>();
  private ScheduledExecutorService scheduler;
  private ExecutorService workers;
  private Thread shutdownHook;
  private volatile boolean closed;
  private volatile ReplicaCgroups cgroups = ReplicaCgroups.disabled("not started");

  /**
   * @param gatewayEnv the gateway's environment, of which only the allow-listed names are passed on
   * @param onStopped told when a replica has left the ready set for good
   */
  public ProcessFunctions(
      ProcessSettings settings,
      Map<String, String> gatewayEnv,
      ThreadFactory threads,
      Consumer<ReplicaAddress> onStopped) {
    this(settings, settings.limits(), gatewayEnv, threads, onStopped);
  }

  /**
   * @param limits whether and how replicas are limited through cgroups
   * @param gatewayEnv the gateway's environment, of which only the allow-listed names are passed on
   * @param onStopped told when a replica has left the ready set for good
   */
  public ProcessFunctions(
      ProcessSettings settings,
      LimitSettings limits,
      Map<String, String> gatewayEnv,
      ThreadFactory threads,
      Consumer<ReplicaAddress> onStopped) {
    this.settings = settings;
    this.limits = limits;
    this.gatewayEnv = Map.copyOf(gatewayEnv);
    this.threads = threads;
    this.onStopped = onStopped;
    this.store = new FunctionStore(settings.dataDir());
    this.secrets = new SecretStore(settings.dataDir());
  }

  /**
   * Kills replicas a crashed gateway left behind, restores stored functions, starts supervising.
   */
  public synchronized void start() {
    List<Long> orphans = killLeftovers();
    if (!orphans.isEmpty()) {
      LOG.warning(() -> "killed " + orphans.size() + " replicas left by an earlier gateway");
    }
    if (!Files.isRegularFile(settings.watchdogJar())) {
      LOG.warning(
          () ->
              "watchdog jar not found at "
                  + settings.watchdogJar()
                  + " (faas.process.watchdog-jar): no replica can start until it exists");
    }
    deleteTree(settings.dataDir().resolve("tmp"));
    cgroups =
        limits.cgroups()
            ? ReplicaCgroups.open(settings.dataDir())
            : ReplicaCgroups.disabled("switched off (faas.process.cgroups=false)");
    secrets.open();
    scheduler = Executors.newSingleThreadScheduledExecutor(threads);
    workers = Executors.newCachedThreadPool(threads);
    for (FunctionState s : store.loadAll()) {
      functions.put(
          s.name(),
          new FunctionReplicas(s.deployment(), s.replicas(), s.createdAt(), settings.logLines()));
    }
    LOG.info(
        () ->
            "process backend: "
                + functions.size()
                + " functions restored from "
                + settings.dataDir()
                + ", watchdog "
                + settings.watchdogJar());
    scheduler.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    shutdownHook = new Thread(this::close, "faas-process-backend-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public FunctionState deploy(FunctionDeployment d) {
    ReplicaCommand.validate(d, gatewayEnv, settings.envAllowList(), settings.workDir());
    limitsOf(d);
    requireRunnable();
    FunctionReplicas fr =
        new FunctionReplicas(
            d, ReplicaPlan.initialReplicas(d.labels()), Instant.now(), settings.logLines());
    synchronized (secretsLock) {
      if (functions.containsKey(d.service())) {
        throw exists(d.service());
      }
      requireSecrets(d);
      if (functions.putIfAbsent(d.service(), fr) != null) {
        throw exists(d.service());
      }
      try {
        store.save(fr.state());
      } catch (RuntimeException e) {
        functions.remove(d.service(), fr);
        throw e;
      }
    }
    reconcile(fr);
    return fr.state();
  }

  public FunctionState update(FunctionDeployment d) {
    ReplicaCommand.validate(d, gatewayEnv, settings.envAllowList(), settings.workDir());
    limitsOf(d);
    requireRunnable();
    FunctionReplicas fr = require(d.service());
    synchronized (secretsLock) {
      requireSecrets(d);
      synchronized (fr) {
        FunctionDeployment previous = fr.deployment;
        fr.deployment = d;
        try {
          store.save(fr.state());
        } catch (RuntimeException e) {
          fr.deployment = previous;
          throw e;
        }
        fr.generation++;
        fr.failures = 0;
        fr.problem = null;
        fr.startAllowedAt = Instant.EPOCH;
      }
    }
    reconcile(fr);
    return fr.state();
  }

  public void scale(String name, int replicas) {
    FunctionReplicas fr = require(name);
    if (replicas > 0) {
      requireRunnable();
    }
    synchronized (fr) {
      int previous = fr.desired;
      fr.desired = replicas;
      try {
        store.save(fr.state());
      } catch (RuntimeException e) {
        fr.desired = previous;
        throw e;
      }
    }
    reconcile(fr);
  }

  public void remove(String name) {
    FunctionReplicas fr = functions.remove(name);
    if (fr == null) {
      throw notFound(name);
    }
    synchronized (fr) {
      fr.removed = true;
      for (Replica r : new ArrayList<>(fr.replicas)) {
        stop(fr, r);
      }
    }
    store.delete(name);
  }

  public List<FunctionState> list() {
    List<FunctionState> states = new ArrayList<>();
    for (FunctionReplicas fr : functions.values()) {
      states.add(fr.state());
    }
    states.sort(Comparator.comparing(FunctionState::name));
    return states;
  }

  public Optional<FunctionState> find(String name) {
    FunctionReplicas fr = functions.get(name);
    return fr == null ? Optional.empty() : Optional.of(fr.state());
  }

  /** The hot path: no locking, no copying. */
  public Optional<List<ReplicaAddress>> readyReplicas(String name) {
    FunctionReplicas fr = functions.get(name);
    return fr == null ? Optional.empty() : Optional.of(fr.ready());
  }

  /** Why the function's replicas fail, while none has got ready since; from memory. */
  public Optional<FunctionProblem> problem(String name) {
    FunctionReplicas fr = functions.get(name);
    if (fr == null) {
      return Optional.empty();
    }
    synchronized (fr) {
      return Optional.ofNullable(fr.problem);
    }
  }

  public List<LogLine> logs(String name, int tail, Instant since) {
    return require(name).logs.select(tail, since);
  }

  /** The names of the stored secrets, sorted. */
  public List<String> secretNames() {
    return secrets.names();
  }

  /**
   * Stores a new secret; replicas started from now on that name it get it.
   *
   * @throws SecretExistsException if the name is taken
   */
  public void createSecret(Secret secret) {
    synchronized (secretsLock) {
      if (secrets.exists(secret.name())) {
        throw new SecretExistsException(
            "secret " + secret.name() + " already exists; update it with PUT /system/secrets");
      }
      secrets.write(secret.name(), secret.value());
    }
    LOG.info(() -> "secret " + secret.name() + " created");
  }

  /**
   * Replaces a secret's value. Replicas started from now on get the new value; running replicas
   * keep the copy they started with until they are replaced (an update of the function replaces
   * them).
   *
   * @throws SecretNotFoundException if there is no such secret
   */
  public void updateSecret(Secret secret) {
    synchronized (secretsLock) {
      if (!secrets.exists(secret.name())) {
        throw secretNotFound(secret.name());
      }
      secrets.write(secret.name(), secret.value());
    }
    LOG.info(() -> "secret " + secret.name() + " updated");
  }

  /**
   * Deletes a secret that no deployed function names.
   *
   * @throws SecretInUseException if a function names it
   * @throws SecretNotFoundException if there is no such secret
   */
  public void removeSecret(String name) {
    synchronized (secretsLock) {
      if (!secrets.exists(name)) {
        throw secretNotFound(name);
      }
      List<String> users =
          functions.values().stream()
              .filter(fr -> fr.state().deployment().secrets().contains(name))
              .map(fr -> fr.name)
              .sorted()
              .toList();
      if (!users.isEmpty()) {
        throw new SecretInUseException(
            "secret "
                + name
                + " is used by "
                + (users.size() == 1 ? "function " : "functions ")
                + String.join(", ", users)
                + "; remove it from their 'secrets' (or delete them) first");
      }
      secrets.delete(name);
    }
    LOG.info(() -> "secret " + name + " deleted");
  }

  /** How replica limits are enforced, or why not (for logs and diagnostics). */
  public String limitsStatus() {
    return cgroups.status();
  }

  /**
   * The directories holding the {@code pids.max}, {@code pids.current} and {@code pids.peak} of
   * each live replica's function processes (for tests and diagnostics); empty when not enforced.
   */
  public List<Path> pidsDirectories(String name) {
    FunctionReplicas fr = require(name);
    List<Path> dirs = new ArrayList<>();
    synchronized (fr) {
      for (Replica r : fr.replicas) {
        CgroupPlan plan = r.cgroup;
        if (plan != null && plan.pidsDirectory() != null) {
          dirs.add(plan.pidsDirectory());
        }
      }
    }
    return dirs;
  }

  /** The operating system processes of a function's live replicas (for tests and diagnostics). */
  public List<ProcessHandle> processes(String name) {
    FunctionReplicas fr = require(name);
    List<ProcessHandle> handles = new ArrayList<>();
    synchronized (fr) {
      for (Replica r : fr.replicas) {
        if (r.process != null && r.process.isAlive()) {
          handles.add(r.process.toHandle());
        }
      }
    }
    return handles;
  }

  /** Stops every replica (SIGTERM, then SIGKILL after the stop timeout) and the supervisor. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed || scheduler == null) {
        closed = true;
        return;
      }
      closed = true;
    }
    List<Process> processes = new ArrayList<>();
    for (FunctionReplicas fr : functions.values()) {
      synchronized (fr) {
        for (Replica r : new ArrayList<>(fr.replicas)) {
          if (r.process != null) {
            processes.add(r.process);
          }
          stop(fr, r);
        }
      }
    }
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
    scheduler.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // a replica launched while closing, or a stray process a function started
    killLeftovers();
    cgroups.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: this is the hook
    }
    LOG.info(() -> "process backend stopped " + processes.size() + " replicas");
  }

  private void tick() {
    try {
      for (FunctionReplicas fr : functions.values()) {
        reconcile(fr);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "replica supervision failed", e);
    }
  }

  private void reconcile(FunctionReplicas fr) {
    synchronized (fr) {
      if (closed || fr.removed) {
        return;
      }
      List<ReplicaPlan.Replica> snapshots = new ArrayList<>();
      for (Replica r : fr.replicas) {
        snapshots.add(r.snapshot());
      }
      Instant now = Instant.now();
      ReplicaPlan.Decision decision =
          ReplicaPlan.decide(
              fr.desired, fr.generation, snapshots, !now.isBefore(fr.startAllowedAt));
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

  private void run(FunctionReplicas fr, Replica r, FunctionDeployment deployment) {
    Process p;
    Path tmp = settings.dataDir().resolve("tmp").resolve(r.instance());
    CgroupPlan plan = null;
    try {
      Files.createDirectories(tmp);
      if (!deployment.secrets().isEmpty()) {
        secrets.copyTo(ReplicaCommand.secretsDirectory(tmp), deployment.secrets());
      }
      plan = cgroups.plan(r.instance(), limitsOf(deployment)).orElse(null);
      List<String> watchdogJoin = List.of();
      Path functionProcs = null;
      if (plan != null) {
        cgroups.create(plan);
        r.cgroup = plan;
        watchdogJoin = cgroups.joinPrefix(plan.watchdogJoins(), SHELL);
        functionProcs = plan.functionProcs();
      }
      ProcessBuilder pb =
          new ProcessBuilder(ReplicaCommand.command(settings, r.instance(), watchdogJoin));
      pb.directory(settings.workDir().toFile());
      pb.redirectErrorStream(true);
      pb.environment().clear();
      pb.environment()
          .putAll(
              ReplicaCommand.environment(
                  gatewayEnv,
                  settings.envAllowList(),
                  deployment,
                  r.address.port(),
                  tmp,
                  functionProcs));
      p = pb.start();
    } catch (IOException | RuntimeException e) {
      synchronized (fr) {
        fr.replicas.remove(r);
        failure(fr, "cannot start replica " + r.instance() + ": " + describe(e), r);
      }
      if (plan != null) {
        cgroups.release(plan);
      }
      deleteTree(tmp);
      return;
    }
    closeQuietly(p);
    boolean stopNow;
    synchronized (fr) {
      r.process = p;
      stopNow = closed || r.state == ReplicaState.STOPPING;
    }
    Thread pump = threads.newThread(() -> pump(fr, r, p.getInputStream()));
    r.pump = pump;
    pump.start();
    p.onExit().thenRun(() -> exited(fr, r, p));
    if (stopNow) {
      p.destroy();
      scheduleKill(p);
      return;
    }
    note(fr, r, "replica started, pid " + p.pid() + ", port " + r.address.port());
    long deadline = System.nanoTime() + settings.readyTimeout().toNanos();
    while (p.isAlive() && r.state == ReplicaState.STARTING && System.nanoTime() < deadline) {
      if (HealthProbe.isReady(HOST, r.address.port(), 1000)) {
        synchronized (fr) {
          if (r.state == ReplicaState.STARTING) {
            r.state = ReplicaState.READY;
            fr.failures = 0;
            fr.problem = null;
            fr.publishReady();
          }
        }
        note(fr, r, "replica ready");
        reconcile(fr);
        return;
      }
      try {
        Thread.sleep(20);
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
      awaitOutput(r); // its last line tells why it ended
    }
    synchronized (fr) {
      unexpected = r.state != ReplicaState.STOPPING && !closed && !fr.removed;
      fr.replicas.remove(r);
      r.state = ReplicaState.STOPPING;
      fr.publishReady();
      if (unexpected) {
        failure(fr, "replica exited unexpectedly with status " + p.exitValue(), r);
      } else {
        note(fr, r, "replica stopped, status " + p.exitValue());
      }
    }
    ProcessGroups.killGroup(p.pid());
    CgroupPlan plan = r.cgroup;
    if (plan != null) {
      // whatever the function left in the replica's cgroups dies with it
      cgroups.release(plan);
    }
    deleteTree(settings.dataDir().resolve("tmp").resolve(r.instance()));
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
    note(fr, r, message);
  }

  /** Waits a little for the pump to read what an ended replica printed last. */
  private static void awaitOutput(Replica r) {
    Thread pump = r.pump;
    if (pump == null) {
      return;
    }
    try {
      pump.join(OUTPUT_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static void note(FunctionReplicas fr, Replica r, String text) {
    fr.logs.add(
        new LogLine(fr.name, r == null ? fr.name : r.instance(), Instant.now(), "faas: " + text));
  }

  private void pump(FunctionReplicas fr, Replica r, InputStream in) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try (in) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b == '\n' || line.size() >= MAX_LINE) {
            emit(fr, r, line);
            if (b == '\n') {
              continue;
            }
          }
          line.write(b);
        }
      }
    } catch (IOException e) {
      // the replica ended
    }
    if (line.size() > 0) {
      emit(fr, r, line);
    }
  }

  private static void emit(FunctionReplicas fr, Replica r, ByteArrayOutputStream line) {
    String text = line.toString(StandardCharsets.UTF_8);
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    line.reset();
    if (!text.isBlank()) {
      r.lastLine = text;
    }
    fr.logs.add(new LogLine(fr.name, r.instance(), Instant.now(), text));
  }

  /** The replica limits of a deployment; throws InvalidInputException on a malformed figure. */
  private ReplicaLimits limitsOf(FunctionDeployment d) {
    return ReplicaLimits.of(
        d, Math.max(1, limits.maxPids()), limits.defaultMemory(), limits.defaultCpu());
  }

  private FunctionReplicas require(String name) {
    FunctionReplicas fr = functions.get(name);
    if (fr == null) {
      throw notFound(name);
    }
    return fr;
  }

  private void requireRunnable() {
    if (closed) {
      throw new BackendUnavailableException("the process backend is shutting down");
    }
    if (!Files.isRegularFile(settings.watchdogJar())) {
      throw new BackendUnavailableException(
          "the process backend cannot start replicas: no watchdog jar at "
              + settings.watchdogJar()
              + " (set faas.process.watchdog-jar)");
    }
  }

  /** Called with the secrets lock held: every secret the deployment names must exist. */
  private void requireSecrets(FunctionDeployment d) {
    for (String name : d.secrets()) {
      if (!secrets.exists(name)) {
        throw new InvalidInputException(
            "secret "
                + FunctionNames.printable(name)
                + " named in 'secrets' does not exist; create it with POST /system/secrets first");
      }
    }
  }

  private static FunctionExistsException exists(String name) {
    return new FunctionExistsException(
        "function " + name + " already exists; update it with PUT /system/functions");
  }

  private static SecretNotFoundException secretNotFound(String name) {
    return new SecretNotFoundException("secret " + name + " not found");
  }

  private static FunctionNotFoundException notFound(String name) {
    return new FunctionNotFoundException("function " + name + " not found");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Kills replicas of this data directory (their command line carries its marker) with their
   * process groups, and whatever they started that lives on (its TMPDIR lies in the data
   * directory).
   */
  private List<Long> killLeftovers() {
    List<Long> found = new ArrayList<>(ProcessGroups.withArgument(settings.ownerMarker()));
    for (long pid : found) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      ProcessGroups.killGroup(pid);
    }
    String tmp = ReplicaCommand.TMPDIR + "=" + settings.dataDir().resolve("tmp") + "/";
    for (long pid : ProcessGroups.withEnvironment(tmp)) {
      if (pid != ProcessHandle.current().pid()) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        found.add(pid);
      }
    }
    return found;
  }

  /** Deletes a replica's private temporary directory (or all of them). */
  private static void deleteTree(Path dir) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(f);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.fine(() -> "cannot delete " + dir + ": " + e.getMessage());
    }
  }

  private static void closeQuietly(Process p) {
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      // nothing to tell the replica
    }
  }
}
