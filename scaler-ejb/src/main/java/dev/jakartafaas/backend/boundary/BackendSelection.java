package dev.jakartafaas.backend.boundary;

import dev.jakartafaas.backend.control.BackendSettings;
import dev.jakartafaas.backend.process.boundary.ProcessBackend;
import dev.jakartafaas.backend.swarm.boundary.SwarmBackend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Chooses the {@link Backend} named by {@code faas.backend}; only the chosen one is created (and so
 * started).
 */
@ApplicationScoped
public class BackendSelection {

  @Inject BackendSettings settings;

  @Inject Instance<ProcessBackend> process;

  @Inject Instance<SwarmBackend> swarm;

  @Produces
  Backend backend() {
    return switch (settings.kind()) {
      case "process" -> process.get().backend();
      case "swarm" -> swarm.get().backend();
      default ->
          throw new IllegalStateException(
              BackendSettings.KIND
                  + "="
                  + settings.kind()
                  + " is not a known backend; use process or swarm");
    };
  }
}
