package dev.jakartafaas.metrics.control;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.entity.FunctionRemoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The asynchronous queue's metrics: calls pending, dead letters held, body bytes held, calls
 * refused, and per function the attempts, the retries, the calls ended (completed or dead) and the
 * callbacks not delivered. Per-function series only for functions still deployed, and removed with
 * them.
 */
@ApplicationScoped
public class AsyncMetrics {

  public static final String DEPTH = "gateway_async_queue_depth";
  public static final String BYTES = "gateway_async_queue_bytes";
  public static final String DEAD_LETTERS = "gateway_async_dead_letters";
  public static final String CALLS = "gateway_async_calls";
  public static final String ATTEMPTS = "gateway_async_attempts";
  public static final String RETRIES = "gateway_async_retries";
  public static final String CALLBACK_FAILURES = "gateway_async_callback_failures";
  public static final String REFUSED = "gateway_async_refused";
  public static final String FUNCTION_LABEL = "function_name";
  public static final String RESULT_LABEL = "result";

  private static final Metadata CALLS_META =
      meta(
          CALLS,
          "Asynchronous calls ended: completed (the function gave a final answer) or dead (every"
              + " attempt failed in a way that is retried)");
  private static final Metadata ATTEMPTS_META =
      meta(ATTEMPTS, "Attempts of asynchronous calls (first attempts and retries)");
  private static final Metadata RETRIES_META =
      meta(RETRIES, "Retries of asynchronous calls scheduled after a failed attempt");
  private static final Metadata CALLBACK_FAILURES_META =
      meta(CALLBACK_FAILURES, "Asynchronous calls whose callback could not be delivered");

  private final MetricRegistry registry;
  private final Backend backend;
  private final Map<String, Boolean> tracked = new ConcurrentHashMap<>();

  @Inject
  public AsyncMetrics(MetricRegistry registry, Backend backend) {
    this.registry = registry;
    this.backend = backend;
  }

  /** For the container's proxy only. */
  protected AsyncMetrics() {
    this(null, null);
  }

  /** Registers the queue's gauges and the refusals' counter. */
  public void queue(Supplier<Integer> depth, Supplier<Long> bytes, Supplier<Integer> dead) {
    registry.gauge(
        meta(DEPTH, "Asynchronous calls pending: queued, running or waiting for a retry"), depth);
    registry.gauge(
        meta(BYTES, "Request body bytes held by asynchronous calls pending or dead"), bytes);
    registry.gauge(
        meta(DEAD_LETTERS, "Dead asynchronous calls kept for a re-queue (within the retention)"),
        dead);
    registry.counter(
        meta(REFUSED, "Asynchronous calls refused because the queue was full or not writable"));
  }

  /** A call was refused: the queue was full or its journal could not be written. */
  public void refused() {
    registry.counter(REFUSED).inc();
  }

  /** An attempt of a call began. */
  public void attempted(String function) {
    count(ATTEMPTS_META, function);
  }

  /** A retry of a call was scheduled. */
  public void retried(String function) {
    count(RETRIES_META, function);
  }

  /** A call ended: completed, or dead after its last attempt. */
  public void ended(String function, boolean completed) {
    if (backend.readyReplicas(function).isEmpty()) {
      return; // deleted meanwhile: no series for a function that is gone
    }
    tracked.put(function, true);
    registry
        .counter(
            CALLS_META,
            new Tag(FUNCTION_LABEL, function),
            new Tag(RESULT_LABEL, completed ? "completed" : "dead"))
        .inc();
  }

  /** A call's callback could not be delivered. */
  public void callbackFailed(String function) {
    count(CALLBACK_FAILURES_META, function);
  }

  private void count(Metadata meta, String function) {
    if (backend.readyReplicas(function).isPresent()) {
      tracked.put(function, true);
      registry.counter(meta, new Tag(FUNCTION_LABEL, function)).inc();
    }
  }

  void removed(@Observes FunctionRemoved event) {
    forget(event.name());
  }

  /** Removes a deleted function's series. */
  public void forget(String function) {
    if (tracked.remove(function) == null) {
      return;
    }
    Tag f = new Tag(FUNCTION_LABEL, function);
    registry.remove(new MetricID(CALLS, f, new Tag(RESULT_LABEL, "completed")));
    registry.remove(new MetricID(CALLS, f, new Tag(RESULT_LABEL, "dead")));
    registry.remove(new MetricID(ATTEMPTS, f));
    registry.remove(new MetricID(RETRIES, f));
    registry.remove(new MetricID(CALLBACK_FAILURES, f));
  }

  private static Metadata meta(String name, String description) {
    return Metadata.builder().withName(name).withDescription(description).build();
  }
}
