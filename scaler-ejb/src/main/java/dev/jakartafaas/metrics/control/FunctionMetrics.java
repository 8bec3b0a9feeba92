package dev.jakartafaas.metrics.control;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.entity.FunctionRemoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Counts and times invocations per deployed function as MicroProfile Metrics with OpenFaaS's names,
 * and answers {@code invocationCount} and the autoscaler from the same counters. Only names that
 * resolved to a deployed function are ever tracked, so request data cannot add series.
 */
@ApplicationScoped
public class FunctionMetrics {

  /** Exported as {@code gateway_function_invocation_total} (counters get {@code _total}). */
  public static final String INVOCATIONS = "gateway_function_invocation";

  /**
   * Exported as the histogram {@code gateway_functions_seconds}. Timers are registered with the
   * unit nanoseconds, the unit they record in: Payara 6.2025.10 scales a timer's {@code _max} and
   * {@code _mean} from the declared unit to seconds but never from nanoseconds, so a timer declared
   * in seconds printed both in nanoseconds; declared in nanoseconds, every series is in seconds.
   */
  public static final String DURATIONS = "gateway_functions";

  /** A gauge, so that it is exported under exactly OpenFaaS's name (no {@code _total}). */
  public static final String STARTED = "gateway_function_invocation_started";

  /** Exported as the histogram {@code gateway_function_cold_start_seconds}. */
  public static final String COLD_STARTS = "gateway_function_cold_start";

  /** Exported as {@code gateway_scaling_events_total}. */
  public static final String SCALING_EVENTS = "gateway_scaling_events";

  public static final String DIRECTION_LABEL = "direction";

  public static final String IN_FLIGHT = "gateway_function_invocation_inflight";
  public static final String SERVICE_COUNT = "gateway_service_count";
  public static final String FUNCTION_LABEL = "function_name";
  public static final String CODE_LABEL = "code";

  private static final Metadata INVOCATIONS_META =
      meta(INVOCATIONS, "Invocations of a function that reached a replica, by status code");
  private static final Metadata DURATIONS_META =
      Metadata.builder()
          .withName(DURATIONS)
          .withDescription(
              "Time from the gateway receiving an invocation to its end, by status code")
          .withUnit(MetricUnits.NANOSECONDS)
          .build();
  private static final Metadata COLD_STARTS_META =
      Metadata.builder()
          .withName(COLD_STARTS)
          .withDescription(
              "Time an invocation waited for the first ready replica of a function that had none")
          .withUnit(MetricUnits.NANOSECONDS)
          .build();
  private static final Metadata STARTED_META =
      meta(STARTED, "Invocations of a function that the gateway began to send to a replica");
  private static final Metadata IN_FLIGHT_META =
      meta(IN_FLIGHT, "Invocations of a function in flight through the gateway");
  private static final Metadata SCALING_EVENTS_META =
      meta(SCALING_EVENTS, "Changes of a function's desired replicas, by direction (up or down)");
  private static final Metadata SERVICE_COUNT_META =
      meta(SERVICE_COUNT, "Ready replicas of a function");

  private final MetricRegistry registry;
  private final Backend backend;

  @Inject
  public FunctionMetrics(MetricRegistry registry, Backend backend) {
    this.registry = registry;
    this.backend = backend;
  }

  /** For the container's proxy only. */
  protected FunctionMetrics() {
    this(null, null);
  }

  private final ConcurrentHashMap<String, Calls> functions = new ConcurrentHashMap<>();

  /** Registers the function's series (idempotent); call for deployed functions only. */
  public Calls track(String function) {
    Calls c = functions.get(function);
    return c != null ? c : functions.computeIfAbsent(function, this::register);
  }

  /** An invocation of a deployed function begins; pass the result to {@link #finished}. */
  public Calls started(String function) {
    Calls c = track(function);
    c.started.increment();
    c.inFlight.incrementAndGet();
    return c;
  }

  /** The invocation ended with this HTTP status after this many nanoseconds. */
  public void finished(Calls calls, int code, long nanos) {
    calls.inFlight.decrementAndGet();
    if (functions.get(calls.function) != calls) {
      return; // removed meanwhile: adding series now would resurrect a deleted function's labels
    }
    calls.counter(code).inc();
    calls.timer(code).update(Duration.ofNanos(Math.max(0, nanos)));
  }

  /**
   * An invocation begins to wait for a replica of a function that has none ready; pass the result
   * to {@link #readyAfter} or {@link #gaveUp}. Waiting invocations count as in flight for {@link
   * #inFlight} (the autoscaler), not for the exported gauge.
   */
  public Calls waiting(String function) {
    Calls c = track(function);
    c.waiting.incrementAndGet();
    return c;
  }

  /** The waiting invocation found a ready replica after this many nanoseconds. */
  public void readyAfter(Calls calls, long nanos) {
    calls.waiting.decrementAndGet();
    if (functions.get(calls.function) != calls) {
      return;
    }
    Timer t = calls.coldStarts;
    if (t == null) {
      synchronized (calls) {
        if (calls.coldStarts == null) {
          calls.coldStarts =
              registry.timer(COLD_STARTS_META, new Tag(FUNCTION_LABEL, calls.function));
        }
        t = calls.coldStarts;
      }
    }
    t.update(Duration.ofNanos(Math.max(0, nanos)));
  }

  /** The waiting invocation found no ready replica (timed out, or the function went away). */
  public void gaveUp(Calls calls) {
    calls.waiting.decrementAndGet();
  }

  /** Finished invocations of the function, all codes: {@code invocationCount}. */
  public long count(String function) {
    Calls c = functions.get(function);
    return c == null ? 0 : c.counters.values().stream().mapToLong(Counter::getCount).sum();
  }

  /** Invocations of the function in flight now, including those waiting for a first replica. */
  public long inFlight(String function) {
    Calls c = functions.get(function);
    return c == null ? 0 : c.inFlight.get() + c.waiting.get();
  }

  /**
   * Counts a change of the function's desired replicas made by the platform (the autoscaler, an
   * alert, a cold start); no change, or a function not tracked, counts nothing.
   */
  public void scaled(String function, int from, int to) {
    Calls c = functions.get(function);
    if (c == null || from == to) {
      return;
    }
    String direction = to > from ? "up" : "down";
    c.scalings.add(direction);
    registry
        .counter(
            SCALING_EVENTS_META,
            new Tag(FUNCTION_LABEL, function),
            new Tag(DIRECTION_LABEL, direction))
        .inc();
  }

  void removed(@Observes FunctionRemoved event) {
    forget(event.name());
  }

  /** Removes the function's series: after its deletion. */
  public void forget(String function) {
    Calls c = functions.remove(function);
    if (c == null) {
      return;
    }
    List<MetricID> ids = new ArrayList<>();
    Tag f = new Tag(FUNCTION_LABEL, function);
    ids.add(new MetricID(STARTED, f));
    ids.add(new MetricID(IN_FLIGHT, f));
    ids.add(new MetricID(SERVICE_COUNT, f));
    if (c.coldStarts != null) {
      ids.add(new MetricID(COLD_STARTS, f));
    }
    for (String direction : c.scalings) {
      ids.add(new MetricID(SCALING_EVENTS, f, new Tag(DIRECTION_LABEL, direction)));
    }
    for (Integer code : c.counters.keySet()) {
      ids.add(new MetricID(INVOCATIONS, f, new Tag(CODE_LABEL, code.toString())));
    }
    for (Integer code : c.timers.keySet()) {
      ids.add(new MetricID(DURATIONS, f, new Tag(CODE_LABEL, code.toString())));
    }
    ids.forEach(registry::remove);
  }

  private Calls register(String function) {
    Calls c = new Calls(function);
    Tag f = new Tag(FUNCTION_LABEL, function);
    registry.gauge(STARTED_META, c.started::sum, f);
    registry.gauge(IN_FLIGHT_META, c.inFlight::get, f);
    registry.gauge(
        SERVICE_COUNT_META, () -> backend.readyReplicas(function).map(List::size).orElse(0), f);
    return c;
  }

  private static Metadata meta(String name, String description) {
    return Metadata.builder().withName(name).withDescription(description).build();
  }

  /** One function's counters; the handle between {@link #started} and {@link #finished}. */
  public final class Calls {
    final String function;
    final LongAdder started = new LongAdder();
    final AtomicLong inFlight = new AtomicLong();
    final AtomicLong waiting = new AtomicLong();
    volatile Timer coldStarts;
    final ConcurrentHashMap<Integer, Counter> counters = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Integer, Timer> timers = new ConcurrentHashMap<>();
    final java.util.Set<String> scalings = ConcurrentHashMap.newKeySet();

    Calls(String function) {
      this.function = function;
    }

    Counter counter(int code) {
      Counter c = counters.get(code);
      return c != null
          ? c
          : counters.computeIfAbsent(
              code, k -> registry.counter(INVOCATIONS_META, labels(function, k)));
    }

    Timer timer(int code) {
      Timer t = timers.get(code);
      return t != null
          ? t
          : timers.computeIfAbsent(code, k -> registry.timer(DURATIONS_META, labels(function, k)));
    }
  }

  private static Tag[] labels(String function, int code) {
    return new Tag[] {
      new Tag(FUNCTION_LABEL, function), new Tag(CODE_LABEL, Integer.toString(code))
    };
  }
}
