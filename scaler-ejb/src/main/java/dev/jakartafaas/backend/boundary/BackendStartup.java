package dev.jakartafaas.backend.boundary;

import dev.jakartafaas.metrics.control.FunctionMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Starts the selected backend when the application is deployed, so that stored functions come back
 * before the first request rather than on it, with their metrics series.
 */
@Singleton
@Startup
public class BackendStartup {

  private static final Logger LOG = Logger.getLogger(BackendStartup.class.getName());

  @Inject Backend backend;

  @Inject FunctionMetrics counts;

  @PostConstruct
  void start() {
    backend.list().forEach(f -> counts.track(f.name()));
    LOG.info(() -> "backend started: " + backend.orchestration());
  }
}
