package dev.jakartafaas.backend.process.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.ReplicaStopped;
import dev.jakartafaas.backend.process.control.ProcessFunctions;
import dev.jakartafaas.backend.process.control.ProcessSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

/**
 * The {@code process} backend's lifetime in the container: creates {@link ProcessFunctions} with
 * its settings, the container's threads and the replica-stopped event, starts it on first use and
 * stops every replica on undeploy. {@link dev.jakartafaas.backend.boundary.BackendSelection} hands
 * out the {@link Backend} it holds.
 */
@ApplicationScoped
public class ProcessBackend {

  @Inject ProcessSettings settings;

  @Resource ManagedThreadFactory threadFactory;

  @Inject Event<ReplicaStopped> stopped;

  private ProcessFunctions functions;

  @PostConstruct
  void start() {
    // the one read of the gateway's environment: ReplicaCommand passes on only allow-listed names
    functions =
        new ProcessFunctions(
            settings,
            System.getenv(),
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
