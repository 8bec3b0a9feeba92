package dev.jakartafaas.backend.swarm.control;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.backend.process.control.HealthProbe;
import dev.jakartafaas.backend.swarm.entity.SwarmSecret;
import dev.jakartafaas.backend.swarm.entity.SwarmTask;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.problems.entity.BackendUnavailableException;
import dev.jakartafaas.problems.entity.FunctionExistsException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.SecretExistsException;
import dev.jakartafaas.problems.entity.SecretInUseException;
import dev.jakartafaas.problems.entity.SecretNotFoundException;
import dev.jakartafaas.secrets.entity.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The swarm backend's work: management calls go to the Docker engine each time (so the services are
 * the one store of deployments); the ready replicas are kept in memory by a refresher thread that
 * reads the running tasks every {@code faas.swarm.refresh-interval} (and at once after a change),
 * probes new ones' health, and keeps the last known set while the engine is unreachable.
 */
public class SwarmFunctions implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SwarmFunctions.class.getName());
  private static final java.time.Duration PROBLEM_READ_INTERVAL = java.time.Duration.ofSeconds(2);

  private final SwarmSettings settings;
  private final DockerEngine engine;
  private final ThreadFactory threads;
  private final Consumer<ReplicaAddress> stopped;

  private final Object lock = new Object();
  // held while secrets change, so that two changes of one secret do not interleave
  private final Object secretsLock = new Object();
  // function name -> service id, as last read (plus deploys since)
  private Map<String, String> known = Map.of();
  // function name -> ready replicas (by task id)
  private final Map<String, Map<String, ReplicaAddress>> ready = new HashMap<>();
  private final Map<String, List<ReplicaAddress>> snapshot = new ConcurrentHashMap<>();
  private final Map<String, Long> deployedAt = new HashMap<>();
  // function name -> why its tasks fail, for functions that want replicas and have none ready
  private final Map<String, FunctionProblem> problems = new ConcurrentHashMap<>();
  // function name -> when its task history was last read for a problem (nanoTime)
  private final Map<String, Long> problemReadAt = new HashMap<>();
  private final Map<String, Long> removedAt = new HashMap<>();

  private final Semaphore wakeUp = new Semaphore(0);
  private volatile boolean running;
  private volatile boolean loggedFailure;
  private Thread refresher;

  public SwarmFunctions(
      SwarmSettings settings,
      DockerEngine engine,
      ThreadFactory threads,
      Consumer<ReplicaAddress> stopped) {
    this.settings = settings;
    this.engine = engine;
    this.threads = threads;
    this.stopped = stopped;
  }

  public void start() {
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

  @Override
  public void close() {
    running = false;
    wakeUp.release();
    if (refresher != null) {
      refresher.interrupt();
    }
    engine.close();
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

    Map<String, Set<String>> readyIds = new HashMap<>();
    synchronized (lock) {
      ready.forEach((f, m) -> readyIds.put(f, Set.copyOf(m.keySet())));
    }
    Map<String, Map<String, ReplicaAddress>> next = new HashMap<>();
    List<ReplicaAddress> gone = new ArrayList<>();
    for (Map.Entry<String, String> e : services.entrySet()) {
      String function = e.getKey();
      Set<String> before = readyIds.getOrDefault(function, Set.of());
      Roster.Plan plan = Roster.plan(before, tasksByService.getOrDefault(e.getValue(), List.of()));
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
      next.put(function, now);
      readProblem(function, e.getValue(), desired.getOrDefault(function, 0) > 0 && now.isEmpty());
    }
    problems.keySet().retainAll(services.keySet());
    problemReadAt.keySet().retainAll(services.keySet());

    synchronized (lock) {
      Map<String, String> merged = new LinkedHashMap<>();
      services.forEach(
          (f, id) -> {
            Long removed = removedAt.get(f);
            if (removed == null || removed - started < 0) {
              merged.put(f, id);
            }
          });
      known.forEach(
          (f, id) -> {
            Long deployed = deployedAt.get(f);
            if (!merged.containsKey(f) && deployed != null && deployed - started > 0) {
              merged.put(f, id);
            }
          });
      for (Map.Entry<String, Map<String, ReplicaAddress>> r : ready.entrySet()) {
        Map<String, ReplicaAddress> now = next.get(r.getKey());
        for (Map.Entry<String, ReplicaAddress> old : r.getValue().entrySet()) {
          if (now == null || !now.containsKey(old.getKey())) {
            gone.add(old.getValue());
          }
        }
      }
      ready.clear();
      snapshot.keySet().retainAll(merged.keySet());
      for (String f : merged.keySet()) {
        Map<String, ReplicaAddress> now = next.getOrDefault(f, Map.of());
        ready.put(f, now);
        snapshot.put(f, List.copyOf(now.values()));
      }
      known = Map.copyOf(merged);
      deployedAt.values().removeIf(t -> t - started < 0);
      removedAt.values().removeIf(t -> t - started < 0);
    }
    gone.forEach(stopped);
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

  /** Why the function's tasks fail, from memory (the refresher keeps it). */
  public Optional<FunctionProblem> problem(String name) {
    return Optional.ofNullable(problems.get(name));
  }

  private ReplicaAddress address(String function, SwarmTask t) {
    return new ReplicaAddress(function, t.id(), t.address(), settings.watchdogPort());
  }

  /** The ready replicas from memory; empty when the function is not known. */
  public Optional<List<ReplicaAddress>> readyReplicas(String name) {
    List<ReplicaAddress> r = snapshot.get(name);
    if (r != null) {
      return Optional.of(r);
    }
    synchronized (lock) {
      return known.containsKey(name) ? Optional.of(List.of()) : Optional.empty();
    }
  }

  public List<FunctionState> list() {
    List<FunctionState> states = new ArrayList<>();
    for (Service s : engine.functionServices()) {
      states.add(state(s));
    }
    return states;
  }

  public Optional<FunctionState> find(String name) {
    return service(name).map(this::state);
  }

  private FunctionState state(Service s) {
    FunctionDeployment d = ServiceSpecs.deployment(s.getSpec(), settings);
    List<ReplicaAddress> r = snapshot.getOrDefault(d.service(), List.of());
    Instant created = s.getCreatedAt() == null ? Instant.EPOCH : s.getCreatedAt().toInstant();
    return new FunctionState(
        d, ServiceSpecs.replicas(s.getSpec()), r.size(), created, problems.get(d.service()));
  }

  private Optional<Service> service(String name) {
    return engine.functionServices().stream()
        .filter(s -> ServiceSpecs.functionName(s.getSpec(), settings).equals(name))
        .findFirst();
  }

  private Service require(String name) {
    return service(name)
        .orElseThrow(() -> new FunctionNotFoundException("function " + name + " not found"));
  }

  public FunctionState deploy(FunctionDeployment d) {
    if (service(d.service()).isPresent()) {
      throw new FunctionExistsException("function " + d.service() + " already exists");
    }
    ServiceSpec spec = ServiceSpecs.spec(d, settings, secretsOf(d), 1);
    try {
      engine.create(spec);
    } catch (ConflictException e) {
      throw new FunctionExistsException(
          "function " + d.service() + " already exists (service " + spec.getName() + ")");
    } catch (NotFoundException e) {
      throw new BackendUnavailableException(
          "cannot create service " + spec.getName() + ": " + e.getMessage());
    }
    String id = service(d.service()).map(Service::getId).orElse("");
    synchronized (lock) {
      Map<String, String> k = new LinkedHashMap<>(known);
      k.put(d.service(), id);
      known = Map.copyOf(k);
      deployedAt.put(d.service(), System.nanoTime());
      removedAt.remove(d.service());
    }
    wakeUp.release();
    return new FunctionState(d, 1, 0, Instant.now());
  }

  public FunctionState update(FunctionDeployment d) {
    Map<String, SwarmSecret> secrets = secretsOf(d);
    Service s =
        changeService(
            d.service(), current -> ServiceSpecs.spec(d, settings, secrets, replicas(current)));
    wakeUp.release();
    return state(s);
  }

  public void scale(String name, int replicas) {
    changeService(name, current -> ServiceSpecs.withReplicas(current.getSpec(), replicas));
    wakeUp.release();
  }

  private static int replicas(Service s) {
    return ServiceSpecs.replicas(s.getSpec());
  }

  /** Inspects, changes and updates the service, again on "update out of sequence". */
  private Service changeService(String name, java.util.function.Function<Service, ServiceSpec> f) {
    String id = require(name).getId();
    DockerException last = null;
    for (int attempt = 0; attempt < Math.max(1, settings.updateRetries()); attempt++) {
      Service current;
      try {
        current = engine.inspect(id);
      } catch (NotFoundException e) {
        throw new FunctionNotFoundException("function " + name + " not found");
      }
      ServiceSpec spec = f.apply(current);
      try {
        engine.update(id, current.getVersion().getIndex(), spec);
        return engine.inspect(id);
      } catch (NotFoundException e) {
        throw new FunctionNotFoundException("function " + name + " not found");
      } catch (DockerException e) {
        if (!DockerEngine.isOutOfSequence(e)) {
          throw e;
        }
        last = e;
      }
    }
    throw new BackendUnavailableException(
        "service of function "
            + name
            + " kept changing during the update: "
            + (last == null ? "" : last.getMessage()));
  }

  /** The current version of each secret the deployment names that exists. */
  private Map<String, SwarmSecret> secretsOf(FunctionDeployment d) {
    if (d.secrets().isEmpty()) {
      return Map.of();
    }
    return SecretSpecs.current(engine.platformSecrets());
  }

  /** The platform's secrets' names, sorted; never their values. */
  public List<String> secretNames() {
    return SecretSpecs.names(engine.platformSecrets());
  }

  /**
   * Creates a secret as a Docker secret (version 1).
   *
   * @throws SecretExistsException if the name is taken
   */
  public void createSecret(Secret secret) {
    synchronized (secretsLock) {
      if (!SecretSpecs.versions(engine.platformSecrets(), secret.name()).isEmpty()) {
        throw secretExists(secret.name());
      }
      String dockerName = SecretSpecs.dockerName(secret.name(), 1, settings);
      try {
        engine.createSecret(
            dockerName, SecretSpecs.labels(secret.name(), 1, settings), secret.value());
      } catch (ConflictException e) {
        throw new SecretExistsException(
            "secret "
                + secret.name()
                + " cannot be created: a Docker secret named "
                + dockerName
                + " exists that the platform does not manage");
      }
    }
    LOG.info(() -> "secret " + secret.name() + " created");
  }

  /**
   * Replaces a secret's value: Docker secrets cannot change, so this creates the next version,
   * re-points every function service that mounts the secret (a rolling update: its replicas are
   * replaced one by one, and each new one reads the new value; until replaced, a running replica
   * keeps reading the old one), then removes the older versions. An older version the engine still
   * refuses to remove stays, unlisted and unused, until the next update or delete of the secret.
   *
   * @throws SecretNotFoundException if there is no such secret
   */
  public void updateSecret(Secret secret) {
    String name = secret.name();
    synchronized (secretsLock) {
      List<SwarmSecret> versions = SecretSpecs.versions(engine.platformSecrets(), name);
      if (versions.isEmpty()) {
        throw secretNotFound(name);
      }
      int next = versions.get(versions.size() - 1).version() + 1;
      String dockerName = SecretSpecs.dockerName(name, next, settings);
      String id;
      try {
        id =
            engine.createSecret(
                dockerName, SecretSpecs.labels(name, next, settings), secret.value());
      } catch (ConflictException e) {
        throw new BackendUnavailableException(
            "secret "
                + name
                + " cannot be updated: a Docker secret named "
                + dockerName
                + " exists");
      }
      SwarmSecret newer = new SwarmSecret(name, id, dockerName, next);
      for (String function : usersOf(name)) {
        try {
          changeService(
              function,
              current ->
                  SecretSpecs.repoint(current.getSpec(), name, newer).orElse(current.getSpec()));
        } catch (FunctionNotFoundException e) {
          // removed meanwhile: nothing to re-point
        }
      }
      for (SwarmSecret old : versions) {
        try {
          engine.removeSecret(old);
        } catch (NotFoundException e) {
          // already gone
        } catch (RuntimeException e) {
          LOG.warning(
              "secret "
                  + name
                  + ": the older version "
                  + old.dockerName()
                  + " stays for now: "
                  + e.getMessage());
        }
      }
    }
    wakeUp.release();
    LOG.info(() -> "secret " + name + " updated");
  }

  /**
   * Deletes every version of a secret that no function names.
   *
   * @throws SecretInUseException if a function names it (the engine refuses too)
   * @throws SecretNotFoundException if there is no such secret
   */
  public void removeSecret(String name) {
    synchronized (secretsLock) {
      List<SwarmSecret> versions = SecretSpecs.versions(engine.platformSecrets(), name);
      if (versions.isEmpty()) {
        throw secretNotFound(name);
      }
      List<String> users = usersOf(name);
      if (!users.isEmpty()) {
        throw new SecretInUseException(
            "secret "
                + name
                + " is used by "
                + (users.size() == 1 ? "function " : "functions ")
                + String.join(", ", users)
                + "; remove it from their 'secrets' (or delete them) first");
      }
      for (SwarmSecret v : versions) {
        try {
          engine.removeSecret(v);
        } catch (NotFoundException e) {
          // already gone
        }
      }
    }
    LOG.info(() -> "secret " + name + " deleted");
  }

  /** The functions whose deployments name the secret, sorted. */
  private List<String> usersOf(String secret) {
    return engine.functionServices().stream()
        .map(s -> ServiceSpecs.deployment(s.getSpec(), settings))
        .filter(d -> d.secrets().contains(secret))
        .map(FunctionDeployment::service)
        .sorted()
        .toList();
  }

  private static SecretExistsException secretExists(String name) {
    return new SecretExistsException(
        "secret " + name + " already exists; update it with PUT /system/secrets");
  }

  private static SecretNotFoundException secretNotFound(String name) {
    return new SecretNotFoundException("secret " + name + " not found");
  }

  public void remove(String name) {
    Service s = require(name);
    try {
      engine.remove(s.getId());
    } catch (NotFoundException e) {
      throw new FunctionNotFoundException("function " + name + " not found");
    }
    List<ReplicaAddress> gone;
    synchronized (lock) {
      Map<String, String> k = new LinkedHashMap<>(known);
      k.remove(name);
      known = Map.copyOf(k);
      removedAt.put(name, System.nanoTime());
      deployedAt.remove(name);
      Map<String, ReplicaAddress> r = ready.remove(name);
      snapshot.remove(name);
      gone = r == null ? List.of() : List.copyOf(r.values());
    }
    gone.forEach(stopped);
    wakeUp.release();
  }

  public List<LogLine> logs(String name, int tail, Instant since) {
    Service s = require(name);
    Long sinceSecond = since == null ? null : since.getEpochSecond();
    List<LogLine> lines = new ArrayList<>();
    try {
      for (String raw : engine.logs(s.getId(), tail, sinceSecond)) {
        LogLine line = ServiceLogLines.parse(name, raw);
        if (since == null || !line.timestamp().isBefore(since)) {
          lines.add(line);
        }
      }
    } catch (NotFoundException e) {
      throw new FunctionNotFoundException("function " + name + " not found");
    }
    return lines;
  }
}
