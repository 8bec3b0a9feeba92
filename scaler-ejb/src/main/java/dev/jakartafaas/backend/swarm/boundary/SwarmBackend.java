package dev.jakartafaas.backend.swarm.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.ReplicaStopped;
import dev.jakartafaas.backend.swarm.control.DockerEngine;
import dev.jakartafaas.backend.swarm.control.SwarmFunctions;
import dev.jakartafaas.backend.swarm.control.SwarmSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

/**
 * The {@code swarm} backend's lifetime in the container: creates the Docker client and {@link
 * SwarmFunctions} with its settings and the container's threads, starts the replica refresher and
 * stops it on undeploy. {@link dev.jakartafaas.backend.boundary.BackendSelection} hands out the
 * {@link Backend} it holds.
 */
@ApplicationScoped
public class SwarmBackend {

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

  /** The running backend. */
  public Backend backend() {
    return functions;
  }
}
