package dev.jakartafaas.metrics.control;

import dev.jakartafaas.functions.entity.FunctionRemoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Scheduled invocations: runs by function and status code ({@code gateway_schedule_runs_total}) and
 * firings skipped because the function's previous run was still going ({@code
 * gateway_schedule_skipped_total}). Series only for scheduled functions, removed with them.
 */
@ApplicationScoped
public class ScheduleMetrics {

  public static final String RUNS = "gateway_schedule_runs";
  public static final String SKIPPED = "gateway_schedule_skipped";
  public static final String FUNCTION_LABEL = FunctionMetrics.FUNCTION_LABEL;
  public static final String CODE_LABEL = FunctionMetrics.CODE_LABEL;

  private static final Metadata RUNS_META =
      Metadata.builder()
          .withName(RUNS)
          .withDescription("Scheduled invocations of a function that ended, by status code")
          .build();
  private static final Metadata SKIPPED_META =
      Metadata.builder()
          .withName(SKIPPED)
          .withDescription(
              "Firings of a function's schedule not run because its previous run was still going")
          .build();

  private final MetricRegistry registry;
  private final ConcurrentHashMap<String, Set<Integer>> codes = new ConcurrentHashMap<>();

  @Inject
  public ScheduleMetrics(MetricRegistry registry) {
    this.registry = registry;
  }

  /** For the container's proxy only. */
  protected ScheduleMetrics() {
    this(null);
  }

  /** Registers the function's skip counter at 0: call when its schedule is set. */
  public void track(String function) {
    codes.computeIfAbsent(
        function,
        f -> {
          registry.counter(SKIPPED_META, new Tag(FUNCTION_LABEL, f));
          return ConcurrentHashMap.newKeySet();
        });
  }

  /** A scheduled run ended with this status; nothing when the function is no longer scheduled. */
  public void ran(String function, int code) {
    Set<Integer> seen = codes.get(function);
    if (seen == null) {
      return;
    }
    seen.add(code);
    MetricID id =
        new MetricID(
            RUNS, new Tag(FUNCTION_LABEL, function), new Tag(CODE_LABEL, Integer.toString(code)));
    registry.counter(RUNS_META, id.getTagsAsArray()).inc();
    if (codes.get(function) != seen) {
      registry.remove(id); // forgotten meanwhile: a deleted function's series stay gone
    }
  }

  /** A firing was skipped: the previous run was still going. */
  public void skipped(String function) {
    if (codes.containsKey(function)) {
      registry.counter(SKIPPED_META, new Tag(FUNCTION_LABEL, function)).inc();
    }
  }

  void removed(@Observes FunctionRemoved event) {
    forget(event.name());
  }

  /** Removes the function's series: it was deleted or its schedule removed. */
  public void forget(String function) {
    Set<Integer> seen = codes.remove(function);
    if (seen == null) {
      return;
    }
    Tag f = new Tag(FUNCTION_LABEL, function);
    registry.remove(new MetricID(SKIPPED, f));
    for (Integer code : seen) {
      registry.remove(new MetricID(RUNS, f, new Tag(CODE_LABEL, code.toString())));
    }
  }
}
