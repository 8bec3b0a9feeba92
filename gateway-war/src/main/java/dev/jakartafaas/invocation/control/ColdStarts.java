package dev.jakartafaas.invocation.control;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.metrics.control.FunctionMetrics;
import dev.jakartafaas.metrics.control.FunctionMetrics.Calls;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.NoReadyReplicaException;
import dev.jakartafaas.scaling.control.ReplicaCalculation;
import dev.jakartafaas.scaling.control.Scaler;
import dev.jakartafaas.scaling.control.ScalingPolicy;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Holds requests to a function that has no ready replica (scaled to 0, or starting) until one is
 * ready, starting the function first when it is at 0: however many requests arrive together, one
 * scale-up. Bounded in time ({@code faas.gateway.cold-start-timeout}) and in waiting requests
 * ({@code faas.gateway.cold-start-queue}); beyond either, 503. A function whose replicas keep
 * failing is answered 503 with the backend's reason at once, not after the whole wait.
 */
@ApplicationScoped
public class ColdStarts {

  /** How often a waiting request looks at the ready set (an in-memory read). */
  static final long POLL_MILLIS = 20;

  @Inject Backend backend;

  @Inject FunctionMetrics counts;

  @Inject Scaler scaler;

  @Inject InvocationSettings settings;

  private Semaphore slots;
  private final Object scaling = new Object();

  @PostConstruct
  void init() {
    slots = new Semaphore(Math.max(0, settings.coldStartQueue()));
  }

  /**
   * Waits for the function's first ready replica.
   *
   * @return the ready replicas, not empty
   * @throws NoReadyReplicaException when none is ready in time, or too many requests wait already
   * @throws FunctionNotFoundException when the function is removed meanwhile
   */
  public List<ReplicaAddress> await(String name) {
    if (!slots.tryAcquire()) {
      throw new NoReadyReplicaException(
          "function "
              + name
              + " has no ready replica and "
              + settings.coldStartQueue()
              + " requests already wait for one (faas.gateway.cold-start-queue)");
    }
    Calls calls = counts.waiting(name);
    long start = System.nanoTime();
    boolean ready = false;
    try {
      scaleFromZero(name);
      List<ReplicaAddress> replicas =
          firstReady(name, start + settings.coldStartTimeout().toNanos());
      ready = true;
      return replicas;
    } finally {
      if (ready) {
        counts.readyAfter(calls, System.nanoTime() - start);
      } else {
        counts.gaveUp(calls);
      }
      slots.release();
    }
  }

  /** Looks at the ready set until it has a replica, the replicas keep failing, or the deadline. */
  private List<ReplicaAddress> firstReady(String name, long deadline) {
    while (true) {
      List<ReplicaAddress> replicas =
          backend.readyReplicas(name).orElseThrow(() -> FunctionNotFoundException.of(name));
      if (!replicas.isEmpty()) {
        return replicas;
      }
      Optional<FunctionProblem> problem = backend.problem(name);
      if (problem.isPresent() && problem.get().keepsFailing()) {
        throw new NoReadyReplicaException(
            "function "
                + name
                + " has no ready replica: its replicas keep failing ("
                + problem.get().attempts()
                + " in a row), the last: "
                + problem.get().reason());
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new NoReadyReplicaException(
            "function "
                + name
                + " has no ready replica after "
                + settings.coldStartTimeout().toMillis()
                + " ms (faas.gateway.cold-start-timeout)"
                + problem.map(p -> "; a replica failed: " + p.reason()).orElse(""));
      }
      try {
        Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NoReadyReplicaException(
            "function " + name + " has no ready replica (the gateway is stopping)");
      }
    }
  }

  /** Starts a function at 0; one request at a time decides, so together they scale it once. */
  private void scaleFromZero(String name) {
    synchronized (scaling) {
      Optional<FunctionState> function = backend.find(name);
      if (function.isEmpty()) {
        return; // removed meanwhile: the wait answers 404
      }
      FunctionState f = function.get();
      int replicas =
          ReplicaCalculation.onRequest(
              ScalingPolicy.fromLabels(f.deployment().labels()), f.replicas());
      scaler.apply(name, f.replicas(), replicas); // false: removed meanwhile, the wait answers 404
    }
  }
}
