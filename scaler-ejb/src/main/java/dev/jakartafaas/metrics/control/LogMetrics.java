package dev.jakartafaas.metrics.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** How many clients follow a log ({@code /system/logs?follow=true}) now. */
@ApplicationScoped
public class LogMetrics {

  public static final String FOLLOWERS = "gateway_log_followers";

  private final MetricRegistry registry;

  @Inject
  public LogMetrics(MetricRegistry registry) {
    this.registry = registry;
  }

  /** For the container's proxy only. */
  protected LogMetrics() {
    this(null);
  }

  public void followers(Supplier<Integer> count) {
    registry.gauge(
        Metadata.builder()
            .withName(FOLLOWERS)
            .withDescription("Clients following a function's log now")
            .build(),
        count);
  }
}
