package dev.jakartafaas.backend.swarm.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.backend.entity.ReplicaStopped;
import dev.jakartafaas.backend.swarm.control.DockerEngine;
import dev.jakartafaas.backend.swarm.control.SwarmFunctions;
import dev.jakartafaas.backend.swarm.control.SwarmSettings;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.secrets.entity.Secret;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code swarm} backend as a CDI bean: reads {@code faas.swarm.*}, owns the Docker client and
 * the replica refresher for the application's lifetime.
 */
@ApplicationScoped
@Typed(SwarmBackend.class)
public class SwarmBackend implements Backend {

  @Inject SwarmSettings settings;

  @Resource ManagedThreadFactory threadFactory;

  @Inject Event<ReplicaStopped> stopped;

  private SwarmFunctions functions;

  @PostConstruct
  void start() {
    functions =
        new SwarmFunctions(
            settings,
            new DockerEngine(settings),
            threadFactory,
            address -> stopped.fire(new ReplicaStopped(address)));
    functions.start();
  }

  @PreDestroy
  void stop() {
    functions.close();
  }

  @Override
  public String orchestration() {
    return "swarm";
  }

  @Override
  public FunctionState deploy(FunctionDeployment deployment) {
    return functions.deploy(deployment);
  }

  @Override
  public FunctionState update(FunctionDeployment deployment) {
    return functions.update(deployment);
  }

  @Override
  public void remove(String name) {
    functions.remove(name);
  }

  @Override
  public List<FunctionState> list() {
    return functions.list();
  }

  @Override
  public Optional<FunctionState> find(String name) {
    return functions.find(name);
  }

  @Override
  public void scale(String name, int replicas) {
    functions.scale(name, replicas);
  }

  @Override
  public Optional<List<ReplicaAddress>> readyReplicas(String name) {
    return functions.readyReplicas(name);
  }

  @Override
  public Optional<FunctionProblem> problem(String name) {
    return functions.problem(name);
  }

  @Override
  public List<LogLine> logs(String name, int tail, Instant since) {
    return functions.logs(name, tail, since);
  }

  @Override
  public List<String> secretNames() {
    return functions.secretNames();
  }

  @Override
  public void createSecret(Secret secret) {
    functions.createSecret(secret);
  }

  @Override
  public void updateSecret(Secret secret) {
    functions.updateSecret(secret);
  }

  @Override
  public void removeSecret(String name) {
    functions.removeSecret(name);
  }
}
