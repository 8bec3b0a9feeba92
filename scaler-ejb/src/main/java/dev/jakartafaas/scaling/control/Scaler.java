package dev.jakartafaas.scaling.control;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.metrics.control.FunctionMetrics;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one place a scale decision the platform made is applied and counted ({@code
 * gateway_scaling_events_total}): the autoscaler's, an alert's, a request's for a function at zero.
 * A scale asked for through {@code /system/scale-function} is the caller's, not counted.
 */
@ApplicationScoped
public class Scaler {

  private final Backend backend;
  private final FunctionMetrics metrics;

  @Inject
  public Scaler(Backend backend, FunctionMetrics metrics) {
    this.backend = backend;
    this.metrics = metrics;
  }

  /** For the container's proxy only. */
  protected Scaler() {
    this(null, null);
  }

  /**
   * Sets the function's desired replicas from {@code from} to {@code to} and counts the change.
   *
   * @return false when the function was removed meanwhile (nothing set, nothing counted)
   */
  public boolean apply(String function, int from, int to) {
    if (from == to) {
      return true;
    }
    try {
      backend.scale(function, to);
    } catch (FunctionNotFoundException e) {
      return false;
    }
    metrics.scaled(function, from, to);
    return true;
  }
}
