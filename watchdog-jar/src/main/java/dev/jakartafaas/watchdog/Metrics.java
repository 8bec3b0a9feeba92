package dev.jakartafaas.watchdog;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The watchdog's own Prometheus metrics, with of-watchdog's names: {@code http_requests_total},
 * {@code http_request_duration_seconds} and {@code http_requests_in_flight}.
 */
final class Metrics {

  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final Map<String, Series> series = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  private static final class Series {
    final LongAdder count = new LongAdder();
    final LongAdder[] buckets = new LongAdder[BUCKETS.length];
    final java.util.concurrent.atomic.DoubleAdder sum =
        new java.util.concurrent.atomic.DoubleAdder();

    Series() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }
  }

  AtomicInteger inFlight() {
    return inFlight;
  }

  void record(String method, int code, long nanos) {
    String m = METHODS.contains(method) ? method : "OTHER";
    Series s = series.computeIfAbsent(code + " " + m, k -> new Series());
    double seconds = nanos / 1e9;
    s.count.increment();
    s.sum.add(seconds);
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        s.buckets[i].increment();
        break;
      }
    }
  }

  /** Prometheus text exposition format 0.0.4. */
  String render() {
    StringBuilder out = new StringBuilder(2048);
    Map<String, Series> sorted = new TreeMap<>(series);
    out.append("# HELP http_requests_total Function requests by status code and method.\n");
    out.append("# TYPE http_requests_total counter\n");
    sorted.forEach(
        (key, s) ->
            out.append("http_requests_total")
                .append(labels(key))
                .append(' ')
                .append(s.count.sum())
                .append('\n'));
    out.append("# HELP http_request_duration_seconds Time to answer a function request.\n");
    out.append("# TYPE http_request_duration_seconds histogram\n");
    sorted.forEach(
        (key, s) -> {
          String labels = labels(key);
          String inner = labels.substring(1, labels.length() - 1);
          long cumulative = 0;
          for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += s.buckets[i].sum();
            out.append("http_request_duration_seconds_bucket{")
                .append(inner)
                .append(",le=\"")
                .append(format(BUCKETS[i]))
                .append("\"} ")
                .append(cumulative)
                .append('\n');
          }
          long count = s.count.sum();
          out.append("http_request_duration_seconds_bucket{")
              .append(inner)
              .append(",le=\"+Inf\"} ")
              .append(count)
              .append('\n');
          out.append("http_request_duration_seconds_sum")
              .append(labels)
              .append(' ')
              .append(format(s.sum.sum()))
              .append('\n');
          out.append("http_request_duration_seconds_count")
              .append(labels)
              .append(' ')
              .append(count)
              .append('\n');
        });
    out.append("# HELP http_requests_in_flight Function requests being served now.\n");
    out.append("# TYPE http_requests_in_flight gauge\n");
    out.append("http_requests_in_flight ").append(inFlight.get()).append('\n');
    return out.toString();
  }

  private static String labels(String key) {
    int space = key.indexOf(' ');
    return "{code=\"" + key.substring(0, space) + "\",method=\"" + key.substring(space + 1) + "\"}";
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%s", value);
  }
}
