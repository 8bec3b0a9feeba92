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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code swarm} backend as a CDI bean: reads {@code faas.swarm.*}, owns the Docker client and
 * the replica refresher for the application's lifetime.
 */
@ApplicationScoped
@Typed(SwarmBackend.class)
public class SwarmBackend implements Backend {

  @Inject
  @ConfigProperty(name = "faas.swarm.docker-host", defaultValue = "unix:///var/run/docker.sock")
  String dockerHost;

  @Inject
  @ConfigProperty(name = "faas.swarm.network", defaultValue = "functions")
  String network;

  @Inject
  @ConfigProperty(name = "faas.swarm.stack")
  Optional<String> stack;

  @Inject
  @ConfigProperty(name = "faas.swarm.api-timeout", defaultValue = "4s")
  Duration apiTimeout;

  @Inject
  @ConfigProperty(name = "faas.swarm.refresh-interval", defaultValue = "250ms")
  Duration refreshInterval;

  @Inject
  @ConfigProperty(name = "faas.swarm.watchdog-port", defaultValue = "8080")
  int watchdogPort;

  @Inject
  @ConfigProperty(name = "faas.swarm.health-timeout", defaultValue = "1s")
  Duration healthTimeout;

  @Inject
  @ConfigProperty(name = "faas.swarm.update-retries", defaultValue = "5")
  int updateRetries;

  @Inject
  @ConfigProperty(name = "faas.swarm.restart-delay", defaultValue = "1s")
  Duration restartDelay;

  @Inject
  @ConfigProperty(name = "faas.swarm.secret-uid", defaultValue = "1000")
  String secretUid;

  @Resource ManagedThreadFactory threadFactory;

  @Inject Event<ReplicaStopped> stopped;

  private SwarmFunctions functions;

  @PostConstruct
  void start() {
    SwarmSettings settings =
        new SwarmSettings(
            dockerHost.trim(),
            network.trim(),
            stack.map(String::trim).orElse(""),
            apiTimeout,
            refreshInterval,
            watchdogPort,
            healthTimeout,
            updateRetries,
            restartDelay,
            secretUid.trim());
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
