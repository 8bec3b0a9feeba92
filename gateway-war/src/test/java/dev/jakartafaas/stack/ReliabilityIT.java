package dev.jakartafaas.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Poll;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Faults that need the platform's real timeouts (the Arquillian gateway runs with short ones): the
 * platform as {@code stack/up.sh} starts it, with a stop timeout long enough for slow functions.
 */
class ReliabilityIT {

  @Test
  void aReplicaStoppedInTheMiddleOfATwentySecondRequestStillAnswersItInFull() throws Exception {
    try (UpSh up = new UpSh(Map.of("FAAS_PROCESS_STOP_TIMEOUT", "40s"))) {
      String name = "slow-drain";
      HttpResponse<String> deployed =
          up.call(
              "POST",
              "/system/functions",
              "{\"service\":\""
                  + name
                  + "\",\"envProcess\":\"sh gateway-war/src/test/functions/slow.sh\","
                  + "\"envVars\":{\"write_timeout\":\"40s\",\"exec_timeout\":\"40s\","
                  + "\"read_timeout\":\"10s\"}}");
      assertEquals(202, deployed.statusCode(), deployed.body());
      Poll.until(
          Duration.ofSeconds(60),
          name + " gets ready",
          () ->
              up.call("GET", "/system/function/" + name, null)
                  .body()
                  .contains("\"availableReplicas\":1"));
      String body = "x".repeat(100_000) + " the end";
      long start = System.nanoTime();
      CompletableFuture<HttpResponse<String>> call =
          up.http.sendAsync(
              HttpRequest.newBuilder(URI.create(up.base + "/function/" + name))
                  .timeout(Duration.ofSeconds(90))
                  .POST(BodyPublishers.ofString(body))
                  .build(),
              BodyHandlers.ofString());
      // the request is in the function once the gateway counts it in flight
      Poll.until(
          Duration.ofSeconds(30),
          "the call gets in flight",
          () ->
              up.call("GET", "/metrics?scope=application", null)
                  .body()
                  .lines()
                  .anyMatch(
                      l ->
                          l.startsWith("gateway_function_invocation_inflight")
                              && l.contains("\"" + name + "\"")
                              && l.endsWith(" 1")));
      HttpResponse<String> scaled =
          up.call(
              "POST",
              "/system/scale-function/" + name,
              "{\"serviceName\":\"" + name + "\",\"replicas\":0}");
      assertEquals(202, scaled.statusCode(), scaled.body());
      // the replica leaves the ready set at once and is told to stop while the call still runs
      Poll.until(
          Duration.ofSeconds(15),
          "the replica leaves the ready set",
          () ->
              up.call("GET", "/system/function/" + name, null)
                  .body()
                  .contains("\"availableReplicas\":0"));
      assertTrue(!call.isDone(), "the stop began in the middle of the call");
      HttpResponse<String> r = call.get(90, TimeUnit.SECONDS);
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(body, r.body(), "the full body");
      assertTrue(seconds >= 19, "it really ran its 20 s: " + seconds);
      System.out.println(
          "graceful stop during a 20 s call: 200 with all "
              + body.length()
              + " bytes after "
              + seconds
              + " s");
      up.call("DELETE", "/system/functions", "{\"functionName\":\"" + name + "\"}");
    }
  }
}
