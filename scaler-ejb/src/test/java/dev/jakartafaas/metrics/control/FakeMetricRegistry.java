package dev.jakartafaas.metrics.control;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The few {@link MetricRegistry} methods {@link FunctionMetrics} uses, over plain numbers, so the
 * counting logic is tested without a container.
 */
public final class FakeMetricRegistry {

  /** Counters and timer counts as {@link AtomicLong}, gauges as their {@link Supplier}. */
  public final Map<MetricID, Object> series = new ConcurrentHashMap<>();

  public final MetricRegistry registry =
      (MetricRegistry)
          Proxy.newProxyInstance(
              FakeMetricRegistry.class.getClassLoader(),
              new Class<?>[] {MetricRegistry.class},
              (proxy, m, args) ->
                  switch (m.getName()) {
                    case "counter" -> counter(id(args));
                    case "timer" -> timer(id(args));
                    case "gauge" -> {
                      series.put(id(args[0], (Tag[]) args[2]), args[1]);
                      yield null;
                    }
                    case "remove" -> series.remove(args[0]) != null;
                    default -> throw new UnsupportedOperationException(m.getName());
                  });

  /** The value of one series, or null when absent. */
  public Long value(String name, String... labels) {
    Tag[] tags = new Tag[labels.length / 2];
    for (int i = 0; i < tags.length; i++) {
      tags[i] = new Tag(labels[2 * i], labels[2 * i + 1]);
    }
    Object v = series.get(new MetricID(name, tags));
    if (v instanceof Supplier<?> s) {
      return ((Number) s.get()).longValue();
    }
    return v == null ? null : ((AtomicLong) v).get();
  }

  private static MetricID id(Object[] args) {
    return id(args[0], (Tag[]) args[1]);
  }

  private static MetricID id(Object metadata, Tag[] tags) {
    return new MetricID(((Metadata) metadata).getName(), tags);
  }

  private Counter counter(MetricID id) {
    AtomicLong n = (AtomicLong) series.computeIfAbsent(id, k -> new AtomicLong());
    return (Counter)
        Proxy.newProxyInstance(
            FakeMetricRegistry.class.getClassLoader(),
            new Class<?>[] {Counter.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "inc" -> n.addAndGet(args == null ? 1 : (Long) args[0]);
                  case "getCount" -> n.get();
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }

  private Timer timer(MetricID id) {
    AtomicLong n = (AtomicLong) series.computeIfAbsent(id, k -> new AtomicLong());
    return (Timer)
        Proxy.newProxyInstance(
            FakeMetricRegistry.class.getClassLoader(),
            new Class<?>[] {Timer.class},
            (proxy, m, args) -> {
              if (m.getName().equals("update") && args[0] instanceof Duration) {
                n.incrementAndGet();
                return null;
              }
              if (m.getName().equals("getCount")) {
                return n.get();
              }
              throw new UnsupportedOperationException(m.getName());
            });
  }
}
