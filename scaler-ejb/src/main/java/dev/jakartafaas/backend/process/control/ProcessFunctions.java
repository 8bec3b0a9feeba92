package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.LogFollow;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.LogSink;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.problems.entity.BackendUnavailableException;
import dev.jakartafaas.problems.entity.FunctionExistsException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.secrets.entity.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The {@code process} backend: the deployed functions, kept in memory and in {@link FunctionStore}
 * so they survive a restart, whose replicas {@link ReplicaSupervisor} runs as local watchdog
 * processes; secrets are {@link ProcessSecrets}. Leaves no child behind when closed, and kills what
 * a gateway that died left behind when started.
 */
public final class ProcessFunctions implements Backend, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ProcessFunctions.class.getName());

  private final ProcessSettings settings;
  private final Map<String, String> gatewayEnv;
  private final FunctionStore store;
  private final ProcessSecrets secrets;
  private final ReplicaLaunch launch;
  private final ReplicaSupervisor supervisor;
  private final ConcurrentHashMap<String, FunctionReplicas> functions = new ConcurrentHashMap<>();
  private final ThreadFactory threads;
  private Thread shutdownHook;

  /**
   * @param gatewayEnv the gateway's environment, of which only the allow-listed names are passed on
   * @param onStopped told when a replica has left the ready set for good
   */
  public ProcessFunctions(
      ProcessSettings settings,
      Map<String, String> gatewayEnv,
      ThreadFactory threads,
      Consumer<ReplicaAddress> onStopped) {
    this.settings = settings;
    this.gatewayEnv = Map.copyOf(gatewayEnv);
    this.threads = threads;
    this.store = new FunctionStore(settings.dataDir());
    this.secrets = new ProcessSecrets(settings.dataDir());
    this.launch = new ReplicaLaunch(settings, gatewayEnv, secrets.store());
    this.supervisor = new ReplicaSupervisor(settings, launch, secrets.store(), threads, onStopped);
  }

  /**
   * Kills replicas a crashed gateway left behind, restores stored functions, starts supervising.
   */
  public synchronized void start() {
    List<Long> orphans = Leftovers.kill(settings);
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
    launch.open();
    secrets.open();
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
    supervisor.start(functions::values);
    Thread aot = threads.newThread(launch::prepareAotCache);
    aot.start();
    shutdownHook = new Thread(this::close, "faas-process-backend-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  @Override
  public String orchestration() {
    return "process";
  }

  @Override
  public FunctionState deploy(FunctionDeployment d, int replicas) {
    requireRunnable(d);
    FunctionReplicas fr = new FunctionReplicas(d, replicas, Instant.now(), settings.logLines());
    if (functions.containsKey(d.service())) {
      throw FunctionExistsException.of(d.service());
    }
    secrets.whileNamedSecretsExist(
        d,
        () -> {
          if (functions.putIfAbsent(d.service(), fr) != null) {
            throw FunctionExistsException.of(d.service());
          }
          try {
            store.save(fr.state());
          } catch (RuntimeException e) {
            functions.remove(d.service(), fr);
            throw e;
          }
          return fr;
        });
    supervisor.reconcile(fr);
    return fr.state();
  }

  @Override
  public FunctionState update(FunctionDeployment d) {
    requireRunnable(d);
    FunctionReplicas fr = require(d.service());
    secrets.whileNamedSecretsExist(
        d,
        () -> {
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
          return fr;
        });
    supervisor.reconcile(fr);
    return fr.state();
  }

  @Override
  public void scale(String name, int replicas) {
    FunctionReplicas fr = require(name);
    if (replicas > 0) {
      requireWatchdog();
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
    supervisor.reconcile(fr);
  }

  @Override
  public void remove(String name) {
    FunctionReplicas fr = functions.remove(name);
    if (fr == null) {
      throw FunctionNotFoundException.of(name);
    }
    supervisor.stopAll(fr);
    store.delete(name);
    fr.logs.end("function " + name + " was removed");
  }

  @Override
  public List<FunctionState> list() {
    List<FunctionState> states = new ArrayList<>();
    for (FunctionReplicas fr : functions.values()) {
      states.add(fr.state());
    }
    states.sort(Comparator.comparing(FunctionState::name));
    return states;
  }

  @Override
  public Optional<FunctionState> find(String name) {
    FunctionReplicas fr = functions.get(name);
    return fr == null ? Optional.empty() : Optional.of(fr.state());
  }

  /** The hot path: no locking, no copying. */
  @Override
  public Optional<List<ReplicaAddress>> readyReplicas(String name) {
    FunctionReplicas fr = functions.get(name);
    return fr == null ? Optional.empty() : Optional.of(fr.ready());
  }

  /** Why the function's replicas fail, while none has got ready since; from memory. */
  @Override
  public Optional<FunctionProblem> problem(String name) {
    FunctionReplicas fr = functions.get(name);
    if (fr == null) {
      return Optional.empty();
    }
    synchronized (fr) {
      return Optional.ofNullable(fr.problem);
    }
  }

  @Override
  public List<LogLine> logs(String name, int tail, Instant since) {
    return require(name).logs.select(tail, since);
  }

  @Override
  public LogFollow followLogs(String name, int tail, Instant since, LogSink sink) {
    return require(name).logs.follow(tail, since, sink);
  }

  @Override
  public List<String> secretNames() {
    return secrets.names();
  }

  @Override
  public void createSecret(Secret secret) {
    secrets.create(secret);
  }

  @Override
  public void updateSecret(Secret secret) {
    secrets.update(secret);
  }

  @Override
  public void removeSecret(String name) {
    secrets.remove(name, functions.values());
  }

  /** Stops every replica (SIGTERM, then SIGKILL after the stop timeout) and the supervisor. */
  @Override
  public void close() {
    int stopped = supervisor.close(functions.values());
    if (stopped < 0) {
      return; // closed already, or never started
    }
    for (FunctionReplicas fr : functions.values()) {
      fr.logs.end("the gateway is stopping");
    }
    // a replica launched while closing, or a stray process a function started
    Leftovers.kill(settings);
    launch.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: this is the hook
    }
    LOG.info(() -> "process backend stopped " + stopped + " replicas");
  }

  /** How replica limits are enforced, or why not (for logs and diagnostics). */
  /** The replicas' java version and JVM options (tests and diagnostics). */
  ReplicaJvm replicaJvm() {
    return launch.jvm();
  }

  String limitsStatus() {
    return launch.limitsStatus();
  }

  /** The pids directories of each live replica's function processes (tests, diagnostics). */
  List<Path> pidsDirectories(String name) {
    return require(name).pidsDirectories();
  }

  /** The operating system processes of a function's live replicas (tests and diagnostics). */
  List<ProcessHandle> processes(String name) {
    return require(name).processes();
  }

  private FunctionReplicas require(String name) {
    FunctionReplicas fr = functions.get(name);
    if (fr == null) {
      throw FunctionNotFoundException.of(name);
    }
    return fr;
  }

  /** Rejects what cannot run here before anything is created, as a deploy or update arrives. */
  private void requireRunnable(FunctionDeployment d) {
    ReplicaCommand.validate(d, gatewayEnv, settings.envAllowList(), settings.workDir());
    settings.limits().of(d);
    requireWatchdog();
  }

  private void requireWatchdog() {
    if (supervisor.closed()) {
      throw new BackendUnavailableException("the process backend is shutting down");
    }
    if (!Files.isRegularFile(settings.watchdogJar())) {
      throw new BackendUnavailableException(
          "the process backend cannot start replicas: no watchdog jar at "
              + settings.watchdogJar()
              + " (set faas.process.watchdog-jar)");
    }
  }
}
