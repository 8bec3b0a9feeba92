package dev.jakartafaas.backend.swarm.control;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.LogFollow;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.LogSink;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.backend.swarm.entity.SwarmSecret;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.problems.entity.BackendUnavailableException;
import dev.jakartafaas.problems.entity.FunctionExistsException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.secrets.entity.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * The {@code swarm} backend: management calls go to the Docker engine each time (so the services
 * are the one store of deployments, {@link ServiceSpecs} translates); the ready replicas come from
 * {@link ReplicaRefresher}'s memory; secrets are {@link SwarmSecrets}.
 */
public class SwarmFunctions implements Backend, AutoCloseable {

  private final SwarmSettings settings;
  private final DockerEngine engine;
  private final ReplicaRefresher refresher;
  private final ServiceChanges services;
  private final SwarmSecrets secrets;
  private final ThreadFactory threads;

  /**
   * @param stopped told when a replica has left the ready set for good
   */
  public SwarmFunctions(
      SwarmSettings settings,
      DockerEngine engine,
      ThreadFactory threads,
      Consumer<ReplicaAddress> stopped) {
    this.settings = settings;
    this.engine = engine;
    this.threads = threads;
    this.refresher = new ReplicaRefresher(settings, engine, threads, stopped);
    this.services = new ServiceChanges(settings, engine, refresher);
    this.secrets = new SwarmSecrets(settings, engine, services);
  }

  public void start() {
    refresher.start();
  }

  @Override
  public void close() {
    refresher.close();
    engine.close();
  }

  @Override
  public String orchestration() {
    return "swarm";
  }

  @Override
  public Optional<FunctionProblem> problem(String name) {
    return refresher.problem(name);
  }

  @Override
  public Optional<List<ReplicaAddress>> readyReplicas(String name) {
    return refresher.readyReplicas(name);
  }

  @Override
  public List<FunctionState> list() {
    List<FunctionState> states = new ArrayList<>();
    for (Service s : engine.functionServices()) {
      states.add(state(s));
    }
    return states;
  }

  @Override
  public Optional<FunctionState> find(String name) {
    return services.find(name).map(this::state);
  }

  private FunctionState state(Service s) {
    FunctionDeployment d = ServiceSpecs.deployment(s.getSpec(), settings);
    Instant created = s.getCreatedAt() == null ? Instant.EPOCH : s.getCreatedAt().toInstant();
    return new FunctionState(
        d,
        ServiceSpecs.replicas(s.getSpec()),
        refresher.readyCount(d.service()),
        created,
        refresher.problem(d.service()).orElse(null));
  }

  @Override
  public FunctionState deploy(FunctionDeployment d, int replicas) {
    if (services.find(d.service()).isPresent()) {
      throw FunctionExistsException.of(d.service());
    }
    ServiceSpec spec = ServiceSpecs.spec(d, settings, secrets.of(d), replicas);
    try {
      engine.create(spec);
    } catch (ConflictException e) {
      throw new FunctionExistsException(
          "function " + d.service() + " already exists (service " + spec.getName() + ")");
    } catch (NotFoundException e) {
      throw new BackendUnavailableException(
          "cannot create service " + spec.getName() + ": " + e.getMessage());
    }
    refresher.deployed(d.service(), services.find(d.service()).map(Service::getId).orElse(""));
    return new FunctionState(d, replicas, 0, Instant.now());
  }

  @Override
  public FunctionState update(FunctionDeployment d) {
    Map<String, SwarmSecret> current = secrets.of(d);
    Service before =
        services.change(
            d.service(),
            s -> ServiceSpecs.spec(d, settings, current, ServiceSpecs.replicas(s.getSpec())));
    refresher.wake();
    try {
      return state(engine.inspect(before.getId()));
    } catch (NotFoundException e) {
      throw FunctionNotFoundException.of(d.service());
    }
  }

  /** Two engine calls when the function is known: inspect and update. */
  @Override
  public void scale(String name, int replicas) {
    services.change(name, current -> ServiceSpecs.withReplicas(current.getSpec(), replicas));
    refresher.wake();
  }

  @Override
  public void remove(String name) {
    Service s = services.require(name);
    try {
      engine.remove(s.getId());
    } catch (NotFoundException e) {
      throw FunctionNotFoundException.of(name);
    }
    refresher.removed(name);
  }

  @Override
  public List<LogLine> logs(String name, int tail, Instant since) {
    Service s = services.require(name);
    List<LogLine> lines = new ArrayList<>();
    try {
      for (String raw : engine.logs(s.getId(), tail, since)) {
        LogLine line = ServiceLogLines.parse(name, raw);
        if (since == null || !line.timestamp().isBefore(since)) {
          lines.add(line);
        }
      }
    } catch (NotFoundException e) {
      throw FunctionNotFoundException.of(name);
    }
    return lines;
  }

  @Override
  public LogFollow followLogs(String name, int tail, Instant since, LogSink sink) {
    Service s = services.require(name);
    return engine.followLogs(s.getId(), name, tail, since, sink, threads);
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
    refresher.wake();
  }

  @Override
  public void removeSecret(String name) {
    secrets.remove(name);
  }
}
