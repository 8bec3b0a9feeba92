package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsTest {

  private static final long MS = 1_000_000;

  @Test
  void rendersPrometheusTextFormat() {
    Metrics metrics = new Metrics();
    metrics.record("POST", 200, 3 * MS);

    String text = metrics.render();

    assertTrue(text.endsWith("\n"));
    assertTrue(text.contains("# TYPE http_requests_total counter\n"), text);
    assertTrue(text.contains("# TYPE http_request_duration_seconds histogram\n"), text);
    assertTrue(text.contains("# TYPE http_requests_in_flight gauge\n"), text);
    assertTrue(text.contains("\nhttp_requests_total{code=\"200\",method=\"POST\"} 1\n"), text);
    assertTrue(
        text.contains("\nhttp_request_duration_seconds_count{code=\"200\",method=\"POST\"} 1\n"),
        text);
    assertTrue(
        text.contains("\nhttp_request_duration_seconds_sum{code=\"200\",method=\"POST\"} 0.003\n"),
        text);
    Pattern sample =
        Pattern.compile("[a-z_]+(\\{[a-z]+=\"[^\"]*\"(,[a-z]+=\"[^\"]*\")*\\})? [0-9.E+-]+");
    for (String line : text.split("\n")) {
      assertTrue(line.startsWith("# ") || sample.matcher(line).matches(), "bad line: " + line);
    }
  }

  @Test
  void countsBucketsCumulatively() {
    Metrics metrics = new Metrics();
    metrics.record("GET", 200, 3 * MS);
    metrics.record("GET", 200, 30 * MS);
    metrics.record("GET", 200, 40 * MS);
    metrics.record("GET", 200, 2_000 * MS);
    metrics.record("GET", 200, 20_000 * MS);

    List<Long> buckets = bucketsOf(metrics.render(), "{code=\"200\",method=\"GET\",le=\"");

    // le = 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10 +Inf
    assertEquals(List.of(1L, 1L, 1L, 3L, 3L, 3L, 3L, 3L, 4L, 4L, 4L, 5L), buckets);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0.005",
    "5000000, 0.005",
    "5000001, 0.01",
    "1000000000, 1.0",
    "9999999999, 10.0",
    "10000000001, +Inf",
  })
  void putsDurationInFirstBucketThatHoldsIt(long nanos, String firstBucket) {
    Metrics metrics = new Metrics();
    metrics.record("GET", 200, nanos);

    String text = metrics.render();

    Matcher first =
        Pattern.compile("le=\"([^\"]+)\"} 1\n").matcher(text.substring(text.indexOf("_bucket")));
    assertTrue(first.find(), text);
    assertEquals(firstBucket, first.group(1));
  }

  @Test
  void foldsUnknownMethodsIntoOther() {
    Metrics metrics = new Metrics();
    metrics.record("BREW", 404, MS);
    metrics.record("PROPFIND", 404, MS);
    metrics.record("get", 404, MS);

    String text = metrics.render();

    assertTrue(text.contains("http_requests_total{code=\"404\",method=\"OTHER\"} 3\n"), text);
    assertFalse(text.contains("BREW"), text);
    assertFalse(text.contains("PROPFIND"), text);
  }

  @Test
  void keepsSeriesPerCodeAndMethod() {
    Metrics metrics = new Metrics();
    metrics.record("GET", 200, MS);
    metrics.record("GET", 500, MS);
    metrics.record("POST", 200, MS);
    metrics.record("POST", 200, MS);

    String text = metrics.render();

    assertTrue(text.contains("http_requests_total{code=\"200\",method=\"GET\"} 1\n"), text);
    assertTrue(text.contains("http_requests_total{code=\"500\",method=\"GET\"} 1\n"), text);
    assertTrue(text.contains("http_requests_total{code=\"200\",method=\"POST\"} 2\n"), text);
  }

  @Test
  void reportsRequestsInFlight() {
    Metrics metrics = new Metrics();
    metrics.inFlight().incrementAndGet();
    metrics.inFlight().incrementAndGet();

    assertTrue(metrics.render().contains("\nhttp_requests_in_flight 2\n"));
  }

  private static List<Long> bucketsOf(String text, String labelsPrefix) {
    List<Long> values = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("http_request_duration_seconds_bucket" + labelsPrefix)) {
        values.add(Long.parseLong(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return values;
  }
}
