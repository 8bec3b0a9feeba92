package dev.jakartafaas.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Scaling: the autoscaler's timer, Alertmanager's webhook, and functions at zero started by the
 * requests that arrive for them (cold starts and their timeout).
 */
abstract class ScalingChecks extends GatewayChecks {

  @Test
  void autoscalerBringsAFunctionScaledAboveItsMaximumBackToIt() throws Exception {
    String name = "it-maximum";
    HttpResponse<String> r =
        send(
            "POST",
            "/system/functions",
            "{\"service\":\""
                + name
                + "\",\"envProcess\":\"cat\",\"labels\":{\"com.openfaas.scale.max\":\"2\"}}");
    assertEquals(202, r.statusCode(), r.body());
    try {
      scale(name, 4);
      await(name + " is scaled back to 2", () -> desired(name) == 2);
      await(name + " has 2 ready replicas", () -> available(name) == 2);
    } finally {
      delete(name);
    }
  }

  static String alert(String status, String... functions) {
    StringBuilder b = new StringBuilder("{\"status\":\"" + status + "\",\"alerts\":[");
    for (int i = 0; i < functions.length; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"status\":\"")
          .append(status)
          .append("\",\"labels\":{\"alertname\":\"APIHighInvocationRate\",")
          .append("\"function_name\":\"")
          .append(functions[i])
          .append("\"}}");
    }
    return b.append("]}").toString();
  }

  @Test
  void alertmanagerWebhookScalesUpOneStepAndBackToMin() throws Exception {
    String name = "it-alert";
    HttpResponse<String> r =
        send(
            "POST",
            "/system/functions",
            "{\"service\":\""
                + name
                + "\",\"envProcess\":\"cat\",\"labels\":{\"com.openfaas.scale.max\":\"10\"}}");
    assertEquals(202, r.statusCode(), r.body());
    try {
      HttpResponse<String> firing =
          send("POST", "/system/alert", alert("firing", "it-alert-unknown", name));
      assertEquals(200, firing.statusCode(), firing.body());
      assertEquals(3, json(firing.body()).getInt(name), firing.body());
      assertEquals(3, desired(name), "one step of ceil(10 * 20 / 100)");
      await(name + " has 3 ready replicas", () -> available(name) == 3);

      HttpResponse<String> resolved = send("POST", "/system/alert", alert("resolved", name));
      assertEquals(200, resolved.statusCode(), resolved.body());
      assertEquals(1, desired(name), "back to min");

      assertProblem(send("POST", "/system/alert", "{\"alerts\": [1]}"), 400);
      assertProblem(send("POST", "/system/alert", "{bad"), 400);
      assertEquals(1, desired(name));
      assertFalse(get("/system/functions").body().contains("it-alert-unknown"));
    } finally {
      delete(name);
    }
  }

  @Test
  void holdsConcurrentRequestsToAFunctionAtZeroAndStartsOneReplica() throws Exception {
    String name = "it-cold";
    deployAndAwait(name, "cat", 1);
    try {
      scale(name, 0);
      await("scaled to zero", () -> available(name) == 0);
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(root() + "/function/" + name))
                .timeout(Duration.ofSeconds(60))
                .POST(BodyPublishers.ofString("cold " + i))
                .build();
        calls.add(http.sendAsync(request, BodyHandlers.ofString()));
      }
      for (int i = 0; i < calls.size(); i++) {
        HttpResponse<String> r = calls.get(i).get(90, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("cold " + i, r.body());
      }
      assertEquals(1, desired(name), "started to its min, once");
      assertEquals(2, replicaPids(name).size(), "one replica before, one after the cold start");
      String text = get("/metrics?scope=application").body();
      Double waits =
          metric(text, "gateway_function_cold_start_seconds_count", "function_name", name);
      assertNotNull(waits, text);
      assertTrue(waits >= 1 && waits <= 50, text);
      assertEquals(
          1.0,
          metric(text, "gateway_scaling_events_total", "function_name", name, "direction", "up"),
          "one scale-up for the cold start: " + text);
      assertNotNull(
          metric(
              text,
              "gateway_function_cold_start_seconds_bucket",
              "function_name",
              name,
              "le",
              "+Inf"),
          text);
      assertTrue(
          text.lines()
              .noneMatch(
                  l ->
                      l.startsWith("gateway_function_cold_start_seconds{")
                          && l.contains("quantile")),
          "the cold-start timer's quantiles are off");
    } finally {
      delete(name);
    }
  }

  @Test
  void idleFunctionLabelledZeroGoesToZeroAndItsNextRequestStartsIt() throws Exception {
    String name = "it-zero";
    deploy(
        name,
        "cat",
        "{}",
        "{\"com.openfaas.scale.zero\":\"true\",\"com.openfaas.scale.zero-duration\":\"2s\"}");
    try {
      await(name + " has a ready replica", () -> available(name) == 1);
      await(name + " idle for 2 s goes to 0", () -> desired(name) == 0);
      List<Long> pids = replicaPids(name);
      await(
          name + "'s replica process has exited",
          () -> pids.stream().noneMatch(p -> ProcessHandle.of(p).isPresent()));
      HttpResponse<String> r = send("POST", "/function/" + name, "wake up");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("wake up", r.body());
      assertEquals(1, available(name), "started to one replica by the request");
    } finally {
      delete(name);
    }
  }

  @Test
  void answers503WhenNoReplicaGetsReadyWithinTheColdStartTimeout() throws Exception {
    String name = "it-never-ready";
    // in mode=http the watchdog's health stays 503 until the upstream listens, and this one never
    deploy(name, "sleep 600", "{\"mode\":\"http\",\"upstream_url\":\"http://127.0.0.1:9\"}");
    try {
      HttpResponse<String> r = send("POST", "/function/" + name, "x");
      assertProblem(r, 503);
      assertTrue(r.body().contains("faas.gateway.cold-start-timeout"), r.body());
      assertEquals(1, desired(name), "a function with a replica on its way is not scaled");
    } finally {
      delete(name);
    }
  }
}
