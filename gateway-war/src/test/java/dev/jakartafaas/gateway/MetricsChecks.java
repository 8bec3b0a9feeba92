package dev.jakartafaas.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Needs;
import dev.jakartafaas.testing.Trees;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Metrics on {@code /metrics}: OpenFaaS's series for deployed functions only, seconds that are
 * seconds, and Prometheus computing the rate from a real scrape.
 */
abstract class MetricsChecks extends GatewayChecks {

  @Test
  void exportsOpenFaasMetricsForDeployedFunctionsOnly() throws Exception {
    String name = "it-metrics";
    deployAndAwait(name, "cat", 1);
    try {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, send("POST", "/function/" + name, "m" + i).statusCode());
      }
      long seriesBefore = get("/metrics?scope=application").body().lines().count();
      // 10 000 calls to names never deployed, 50 at a time: each is 404 and adds no series
      for (int batch = 0; batch < 200; batch++) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          calls.add(
              http.sendAsync(
                  HttpRequest.newBuilder(
                          URI.create(root() + "/function/it-unknown-" + (batch * 50 + i)))
                      .timeout(Duration.ofSeconds(60))
                      .POST(BodyPublishers.ofString("x"))
                      .build(),
                  BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
          assertProblem(call.get(90, TimeUnit.SECONDS), 404);
        }
      }
      assertProblem(send("POST", "/function/it-unknown-x", "x"), 404);
      HttpResponse<String> r = get("/metrics?scope=application");
      assertEquals(
          seriesBefore,
          r.body().lines().count(),
          "calls to unknown functions added no series (one call to a known one neither)");
      assertEquals(200, r.statusCode());
      String text = r.body();
      String[] fn = {"function_name", name};
      String[] ok = {"function_name", name, "code", "200"};
      assertEquals(3.0, metric(text, "gateway_function_invocation_total", ok), text);
      assertEquals(3.0, metric(text, "gateway_functions_seconds_count", ok), text);
      assertEquals(
          3.0,
          metric(text, "gateway_functions_seconds_bucket", "function_name", name, "le", "+Inf"),
          text);
      assertNotNull(metric(text, "gateway_functions_seconds_sum", ok), text);
      assertEquals(3.0, metric(text, "gateway_function_invocation_started", fn), text);
      assertEquals(0.0, metric(text, "gateway_function_invocation_inflight", fn), text);
      assertEquals(1.0, metric(text, "gateway_service_count", fn), text);
      assertFalse(text.contains("it-unknown"), "calls to unknown names add no series");
      assertTrue(
          text.lines()
              .noneMatch(l -> l.startsWith("gateway_functions_seconds{") && l.contains("quantile")),
          "the timer's quantiles are off");
      assertEquals(
          3,
          json(get("/system/function/" + name).body()).getJsonNumber("invocationCount").intValue());
    } finally {
      delete(name);
    }
    String after = get("/metrics?scope=application").body();
    assertFalse(after.contains("function_name=\"" + name + "\""), after);
  }

  /**
   * Every duration series of a function on {@code /metrics} is in seconds: checked against the
   * durations the calls took as the client saw them (Payara 6.2025.10 printed a timer's {@code
   * _max} and {@code _mean} in nanoseconds beside a {@code _sum} in seconds).
   */
  @Test
  void everySecondsSeriesIsInSecondsAgainstTheDurationsOfKnownCalls() throws Exception {
    String name = "it-seconds";
    deployAndAwait(name, "sleep 0.2", 1);
    try {
      double longest = 0;
      double total = 0;
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        assertEquals(200, send("POST", "/function/" + name, "x").statusCode());
        double took = (System.nanoTime() - start) / 1e9;
        longest = Math.max(longest, took);
        total += took;
      }
      scale(name, 0);
      await(name + " is at 0", () -> available(name) == 0);
      long start = System.nanoTime();
      assertEquals(200, send("POST", "/function/" + name, "cold").statusCode());
      double cold = (System.nanoTime() - start) / 1e9;

      String text = get("/metrics?scope=application").body();
      String[] ok = {"function_name", name, "code", "200"};
      String[] fn = {"function_name", name};
      double all = total + cold;
      double longestAll = Math.max(longest, cold);
      // the four calls each ran the function's 0.2 s
      assertBetween(0.8, all, metric(text, "gateway_functions_seconds_sum", ok), text);
      assertBetween(0.2, longestAll, metric(text, "gateway_functions_seconds_max", ok), text);
      assertBetween(0.2, longestAll, metric(text, "gateway_functions_seconds_mean", ok), text);
      assertEquals(4.0, metric(text, "gateway_functions_seconds_count", ok), text);
      assertEquals(
          0.0,
          metric(text, "gateway_functions_seconds_bucket", "function_name", name, "le", "0.1"),
          "no call was faster than the function's 0.2 s: " + text);
      // one cold start, shorter than the call that waited for it
      assertBetween(0, cold, metric(text, "gateway_function_cold_start_seconds_sum", fn), text);
      assertBetween(0, cold, metric(text, "gateway_function_cold_start_seconds_max", fn), text);
      assertBetween(0, cold, metric(text, "gateway_function_cold_start_seconds_mean", fn), text);
      assertEquals(1.0, metric(text, "gateway_function_cold_start_seconds_count", fn), text);
      // and no other duration series of the function is out of that range
      List<String> durations =
          text.lines()
              .filter(l -> !l.startsWith("#") && l.contains("function_name=\"" + name + "\""))
              .filter(l -> l.substring(0, l.indexOf('{')).contains("_seconds"))
              .filter(l -> !l.contains("_seconds_bucket{") && !l.contains("_seconds_count{"))
              .toList();
      assertTrue(durations.size() >= 6, text);
      for (String line : durations) {
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        assertBetween(0, all, value, line);
      }
    } finally {
      delete(name);
    }
  }

  static void assertBetween(double low, double high, Double value, String context) {
    assertNotNull(value, context);
    assertTrue(
        value >= low && value <= high,
        "expected " + value + " within [" + low + ", " + high + "]: " + context);
  }

  /**
   * The real Prometheus (Debian's package, installed by stack/prerequisites.sh) with the project's
   * own config/prometheus.yml, aimed at this gateway, computes the invocation rate back.
   */
  @Test
  void prometheusScrapesTheGatewayAndComputesTheInvocationRate() throws Exception {
    java.nio.file.Path prometheus = java.nio.file.Path.of("/usr/bin/prometheus");
    Needs.that(
        java.nio.file.Files.isExecutable(prometheus),
        "prometheus is not installed (bash stack/prerequisites.sh installs it)");
    String name = "it-prometheus";
    deployAndAwait(name, "cat", 1);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("it-prometheus");
    java.nio.file.Path config = java.nio.file.Path.of("..", "config").toAbsolutePath();
    java.nio.file.Files.writeString(
        dir.resolve("prometheus.yml"),
        java.nio.file.Files.readString(config.resolve("prometheus.yml"))
            .replace("127.0.0.1:8080", URI.create(root()).getAuthority())
            .replace("scrape_interval: 5s", "scrape_interval: 1s"));
    java.nio.file.Files.copy(config.resolve("alert.rules.yml"), dir.resolve("alert.rules.yml"));
    int port;
    try (java.net.ServerSocket free =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Process process =
        new ProcessBuilder(
                prometheus.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    try {
      String query =
          java.net.URLEncoder.encode(
              "rate(gateway_function_invocation_total{function_name=\""
                  + name
                  + "\",code=\"200\"}[10s])",
              java.nio.charset.StandardCharsets.UTF_8);
      String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + query;
      await(
          Duration.ofSeconds(120),
          "Prometheus computes an invocation rate (its log: " + dir.resolve("prometheus.log") + ")",
          () -> {
            try {
              for (int i = 0; i < 5; i++) {
                HttpResponse<String> call =
                    send("POST", "/function/" + name, BodyPublishers.ofString("x"));
                assertEquals(200, call.statusCode(), call.body());
              }
              return prometheusValue(url) > 0;
            } catch (Exception e) {
              return false; // Prometheus is still starting
            }
          });
    } finally {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      delete(name);
      Trees.delete(dir);
    }
  }
}
