package dev.jakartafaas.backend.swarm.control;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import dev.jakartafaas.problems.entity.BackendUnavailableException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds a function's service and changes it: inspect, change the spec, update with the version
 * read, and again on "update out of sequence". The service id comes from the refresher's memory
 * when it knows the function (one engine call fewer), else from the service list.
 */
final class ServiceChanges {

  private final SwarmSettings settings;
  private final DockerEngine engine;
  private final ReplicaRefresher refresher;

  ServiceChanges(SwarmSettings settings, DockerEngine engine, ReplicaRefresher refresher) {
    this.settings = settings;
    this.engine = engine;
    this.refresher = refresher;
  }

  /** The function's service, from the engine's list. */
  Optional<Service> find(String name) {
    return engine.functionServices().stream()
        .filter(s -> ServiceSpecs.functionName(s.getSpec(), settings).equals(name))
        .findFirst();
  }

  Service require(String name) {
    return find(name).orElseThrow(() -> FunctionNotFoundException.of(name));
  }

  /**
   * Changes the function's service as {@code change} says, from the spec the engine has now.
   *
   * @return the service as inspected before the successful update
   * @throws FunctionNotFoundException when the function has no service
   * @throws BackendUnavailableException when the service kept changing for every attempt
   */
  Service change(String name, Function<Service, ServiceSpec> change) {
    Optional<String> remembered = refresher.serviceId(name);
    String id = remembered.orElseGet(() -> require(name).getId());
    DockerException last = null;
    for (int attempt = 0; attempt < Math.max(1, settings.updateRetries()); attempt++) {
      Service current;
      try {
        current = engine.inspect(id);
      } catch (NotFoundException e) {
        if (remembered.isEmpty()) {
          throw FunctionNotFoundException.of(name);
        }
        // the remembered id is stale (removed, or deployed again since): ask the list once
        remembered = Optional.empty();
        id = require(name).getId();
        attempt--;
        continue;
      }
      try {
        engine.update(id, current.getVersion().getIndex(), change.apply(current));
        return current;
      } catch (NotFoundException e) {
        throw FunctionNotFoundException.of(name);
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
}
