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
 * The asynchronous queue's metrics: its depth and the body bytes it holds, calls refused, and per
 * function the calls ended (done or failed) and the callbacks not delivered. Per-function series
 * only for functions still deployed, and removed with them.
 */
@ApplicationScoped
public class AsyncMetrics {

  public static final String DEPTH = "gateway_async_queue_depth";
  public static final String BYTES = "gateway_async_queue_bytes";
  public static final String CALLS = "gateway_async_calls";
  public static final String CALLBACK_FAILURES = "gateway_async_callback_failures";
  public static final String REFUSED = "gateway_async_refused";
  public static final String FUNCTION_LABEL = "function_name";
  public static final String RESULT_LABEL = "result";

  private static final Metadata CALLS_META =
      meta(
          CALLS,
          "Asynchronous calls ended: done (the function answered, whatever its status) or failed"
              + " (no answer: no replica, timeout, unreachable)");
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
  public void queue(Supplier<Integer> depth, Supplier<Long> bytes) {
    registry.gauge(meta(DEPTH, "Asynchronous calls waiting for a worker"), depth);
    registry.gauge(
        meta(BYTES, "Request body bytes held by asynchronous calls queued or running"), bytes);
    registry.counter(meta(REFUSED, "Asynchronous calls refused because the queue was full"));
  }

  /** A call was refused: the queue was full. */
  public void refused() {
    registry.counter(REFUSED).inc();
  }

  /** A call ended: the function answered ({@code done}, whatever its status) or not. */
  public void ended(String function, boolean answered) {
    if (backend.readyReplicas(function).isEmpty()) {
      return; // deleted meanwhile: no series for a function that is gone
    }
    tracked.put(function, true);
    registry
        .counter(
            CALLS_META,
            new Tag(FUNCTION_LABEL, function),
            new Tag(RESULT_LABEL, answered ? "done" : "failed"))
        .inc();
  }

  /** A call's callback could not be delivered. */
  public void callbackFailed(String function) {
    if (backend.readyReplicas(function).isPresent()) {
      tracked.put(function, true);
      registry.counter(CALLBACK_FAILURES_META, new Tag(FUNCTION_LABEL, function)).inc();
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
    registry.remove(new MetricID(CALLS, f, new Tag(RESULT_LABEL, "done")));
    registry.remove(new MetricID(CALLS, f, new Tag(RESULT_LABEL, "failed")));
    registry.remove(new MetricID(CALLBACK_FAILURES, f));
  }

  private static Metadata meta(String name, String description) {
    return Metadata.builder().withName(name).withDescription(description).build();
  }
}
