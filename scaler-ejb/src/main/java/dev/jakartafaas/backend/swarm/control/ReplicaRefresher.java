package dev.jakartafaas.backend.swarm.control;

import com.github.dockerjava.api.model.Service;
import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.backend.process.control.HealthProbe;
import dev.jakartafaas.backend.swarm.entity.SwarmTask;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Keeps the swarm functions' ready replicas in memory for the invocation hot path: a thread reads
 * the services and running tasks every {@code faas.swarm.refresh-interval} (and at once after a
 * change), probes new tasks' health ({@link Roster}), merges the read into what it knew ({@link
 * ReadyMerge}), and keeps the last known set while the engine is unreachable. It also keeps why a
 * function that wants replicas has none ready ({@link TaskProblems}).
 */
final class ReplicaRefresher {

  private static final Logger LOG = Logger.getLogger(ReplicaRefresher.class.getName());
  private static final Duration PROBLEM_READ_INTERVAL = Duration.ofSeconds(2);

  private final SwarmSettings settings;
  private final DockerEngine engine;
  private final ThreadFactory threads;
  private final Consumer<ReplicaAddress> stopped;

  private final Object lock = new Object();
  private ReadyMerge.Known known = ReadyMerge.Known.NOTHING;
  private final Map<String, List<ReplicaAddress>> snapshot = new ConcurrentHashMap<>();
  // function name -> why its tasks fail, for functions that want replicas and have none ready
  private final Map<String, FunctionProblem> problems = new ConcurrentHashMap<>();
  // function name -> when its task history was last read for a problem (nanoTime)
  private final Map<String, Long> problemReadAt = new HashMap<>();

  private final Semaphore wakeUp = new Semaphore(0);
  private volatile boolean running;
  private volatile boolean loggedFailure;
  private Thread refresher;

  ReplicaRefresher(
      SwarmSettings settings,
      DockerEngine engine,
      ThreadFactory threads,
      Consumer<ReplicaAddress> stopped) {
    this.settings = settings;
    this.engine = engine;
    this.threads = threads;
    this.stopped = stopped;
  }

  void start() {
    running = true;
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warning("swarm backend: first read of the functions failed: " + e.getMessage());
    }
    refresher = threads.newThread(this::refreshLoop);
    refresher.setName("swarm-replicas");
    refresher.setDaemon(true);
    refresher.start();
  }

  void close() {
    running = false;
    wakeUp.release();
    if (refresher != null) {
      refresher.interrupt();
    }
  }

  /** Reads again at once, not at the next interval: after a deploy, scale or update. */
  void wake() {
    wakeUp.release();
  }

  /** The ready replicas from memory; empty when the function is not known. */
  Optional<List<ReplicaAddress>> readyReplicas(String name) {
    List<ReplicaAddress> r = snapshot.get(name);
    if (r != null) {
      return Optional.of(r);
    }
    synchronized (lock) {
      return known.functions().containsKey(name) ? Optional.of(List.of()) : Optional.empty();
    }
  }

  /** How many replicas of the function are ready, from memory. */
  int readyCount(String name) {
    return snapshot.getOrDefault(name, List.of()).size();
  }

  /** Why the function's tasks fail, from memory. */
  Optional<FunctionProblem> problem(String name) {
    return Optional.ofNullable(problems.get(name));
  }

  /** The service id of a function as last read (or deployed since); empty when not known. */
  Optional<String> serviceId(String name) {
    synchronized (lock) {
      return Optional.ofNullable(known.functions().get(name)).filter(id -> !id.isEmpty());
    }
  }

  /** A function was deployed: known from now on, even by a read that began before. */
  void deployed(String name, String serviceId) {
    synchronized (lock) {
      Map<String, String> functions = new LinkedHashMap<>(known.functions());
      functions.put(name, serviceId);
      Map<String, Long> deployedAt = new HashMap<>(known.deployedAt());
      deployedAt.put(name, System.nanoTime());
      Map<String, Long> removedAt = new HashMap<>(known.removedAt());
      removedAt.remove(name);
      known = new ReadyMerge.Known(functions, known.ready(), deployedAt, removedAt);
    }
    wake();
  }

  /** A function was removed: unknown from now on, its ready replicas are gone. */
  void removed(String name) {
    List<ReplicaAddress> gone;
    synchronized (lock) {
      Map<String, String> functions = new LinkedHashMap<>(known.functions());
      functions.remove(name);
      Map<String, Long> removedAt = new HashMap<>(known.removedAt());
      removedAt.put(name, System.nanoTime());
      Map<String, Long> deployedAt = new HashMap<>(known.deployedAt());
      deployedAt.remove(name);
      Map<String, Map<String, ReplicaAddress>> ready = new HashMap<>(known.ready());
      Map<String, ReplicaAddress> r = ready.remove(name);
      snapshot.remove(name);
      known = new ReadyMerge.Known(functions, ready, deployedAt, removedAt);
      gone = r == null ? List.of() : List.copyOf(r.values());
    }
    gone.forEach(stopped);
    wake();
  }

  private void refreshLoop() {
    long intervalNanos = Math.max(10_000_000L, settings.refreshInterval().toNanos());
    while (running) {
      try {
        wakeUp.tryAcquire(intervalNanos, TimeUnit.NANOSECONDS);
        wakeUp.drainPermits();
        if (!running) {
          return;
        }
        refresh();
        if (loggedFailure) {
          loggedFailure = false;
          LOG.info("swarm backend: the Docker engine answers again");
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!loggedFailure) {
          loggedFailure = true;
          LOG.log(
              Level.WARNING,
              "swarm backend: cannot read tasks, keeping the last known replicas: {0}",
              e.getMessage());
        }
      }
    }
  }

  /** Reads services and tasks, probes new tasks, and publishes the ready replicas. */
  void refresh() {
    long started = System.nanoTime();
    Map<String, String> services = new LinkedHashMap<>();
    Map<String, Integer> desired = new HashMap<>();
    for (Service s : engine.functionServices()) {
      String function = ServiceSpecs.functionName(s.getSpec(), settings);
      services.put(function, s.getId());
      desired.put(function, ServiceSpecs.replicas(s.getSpec()));
    }
    Map<String, List<SwarmTask>> tasksByService =
        engine.runningTasks().stream().collect(Collectors.groupingBy(SwarmTask::serviceId));
    Map<String, Map<String, ReplicaAddress>> before;
    synchronized (lock) {
      before = known.ready();
    }
    Map<String, Map<String, ReplicaAddress>> next = new HashMap<>();
    for (Map.Entry<String, String> e : services.entrySet()) {
      String function = e.getKey();
      Map<String, ReplicaAddress> now =
          probe(
              function,
              before.getOrDefault(function, Map.of()),
              tasksByService.getOrDefault(e.getValue(), List.of()));
      next.put(function, now);
      readProblem(function, e.getValue(), desired.getOrDefault(function, 0) > 0 && now.isEmpty());
    }
    problems.keySet().retainAll(services.keySet());
    problemReadAt.keySet().retainAll(services.keySet());
    ReadyMerge.Result result;
    synchronized (lock) {
      result = ReadyMerge.merge(known, new ReadyMerge.Read(started, services, next));
      known = result.known();
      snapshot.keySet().retainAll(known.functions().keySet());
      known.ready().forEach((f, r) -> snapshot.put(f, List.copyOf(r.values())));
    }
    result.gone().forEach(stopped);
  }

  /**
   * The function's ready replicas now: the ready tasks still routable, and new ones now healthy.
   */
  private Map<String, ReplicaAddress> probe(
      String function, Map<String, ReplicaAddress> ready, List<SwarmTask> tasks) {
    Roster.Plan plan = Roster.plan(ready.keySet(), tasks);
    Map<String, ReplicaAddress> now = new LinkedHashMap<>();
    for (SwarmTask t : plan.keep()) {
      now.put(t.id(), address(function, t));
    }
    for (SwarmTask t : plan.probe()) {
      if (HealthProbe.isReady(
          t.address(), settings.watchdogPort(), (int) settings.healthTimeout().toMillis())) {
        now.put(t.id(), address(function, t));
      }
    }
    return now;
  }

  /**
   * Keeps why a function that wants replicas has none ready, from its task history, read at most
   * every {@link #PROBLEM_READ_INTERVAL} per function; forgets it once a replica is ready.
   */
  private void readProblem(String function, String serviceId, boolean unready) {
    if (!unready) {
      problems.remove(function);
      problemReadAt.remove(function);
      return;
    }
    long now = System.nanoTime();
    Long last = problemReadAt.get(function);
    if (last != null && now - last < PROBLEM_READ_INTERVAL.toNanos()) {
      return;
    }
    problemReadAt.put(function, now);
    Optional<FunctionProblem> problem;
    try {
      problem = TaskProblems.of(engine.serviceTasks(serviceId));
    } catch (RuntimeException e) {
      LOG.fine(() -> "cannot read the tasks of " + function + ": " + e.getMessage());
      return; // the replicas matter more: keep the last known problem
    }
    if (problem.isPresent()) {
      problems.put(function, problem.get());
    } else {
      problems.remove(function);
    }
  }

  private ReplicaAddress address(String function, SwarmTask t) {
    return new ReplicaAddress(function, t.id(), t.address(), settings.watchdogPort());
  }
}
