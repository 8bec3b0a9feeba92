package dev.jakartafaas.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Needs;
import dev.jakartafaas.testing.Poll;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * System tests on a real Docker Swarm: builds the images from this checkout ({@code
 * stack/build-images.sh}), deploys the stack under a unique name ({@code stack/deploy.sh}), drives
 * it through the gateway's HTTP API, and removes it ({@code stack/remove.sh}). Skipped when no
 * Docker engine in a swarm answers, except under CI ({@code CI=true}), where that is a failure.
 * {@code -Dswarm.port} chooses the gateway's host port (default 31112); {@code
 * -DexcludedGroups=swarm} leaves these tests out.
 */
@Tag("swarm")
class SwarmIT {

  private static final String STACK =
      "swit" + Integer.toHexString(new Random().nextInt(0x10000) | 0x10000).substring(1);
  private static final int PORT = Integer.getInteger("swarm.port", 31112);
  private static final String V2_TAG = STACK + "-v2";
  private static final Commands LOCAL = Commands.local();
  private static final StackGateway GATEWAY = new StackGateway(STACK, "127.0.0.1", PORT);
  private static final StackServices SERVICES = new StackServices(LOCAL, STACK);
  private static boolean deployed;

  @BeforeAll
  static void deployStack() throws Exception {
    requireSwarm();
    LOCAL.run(Duration.ofMinutes(8), "bash", "stack/build-images.sh", "--no-maven");
    deployed = true;
    GATEWAY.deployStack(LOCAL);
    LOCAL.run(
        Duration.ofSeconds(30),
        "docker",
        "tag",
        "faas-fn-echoit:latest",
        "faas-fn-echoit:" + V2_TAG);
  }

  @AfterAll
  static void removeStack() throws Exception {
    if (deployed) {
      LOCAL.run(Duration.ofMinutes(2), "bash", "stack/remove.sh", "--stack", STACK);
      LOCAL.run(Duration.ofSeconds(30), "docker", "image", "rm", "faas-fn-echoit:" + V2_TAG);
    }
  }

  /** Skips without an engine in a swarm, but fails under CI, where the swarm must be there. */
  private static void requireSwarm() {
    String state;
    try {
      state =
          LOCAL.run(
              Duration.ofSeconds(30), "docker", "info", "--format", "{{.Swarm.LocalNodeState}}");
    } catch (Exception e) {
      state = "no engine (" + e.getMessage() + ")";
    }
    Needs.that(
        state.strip().equals("active"),
        "Swarm tests need a Docker engine in a swarm (bash stack/docker-prerequisites.sh sets one"
            + " up); here: "
            + state.strip());
  }

  @Test
  void theManagementApiAsksForTheGeneratedCredentials() throws Exception {
    HttpResponse<String> anonymous =
        StackGateway.HTTP.send(
            HttpRequest.newBuilder(URI.create(GATEWAY.base + "/system/functions"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode(), anonymous.body());
    assertEquals(200, GATEWAY.system("GET", "/system/functions", null).statusCode());
  }

  @Test
  void everySampleFunctionAnswersThroughTheGateway() throws Exception {
    assertEquals("Hello swarm", GATEWAY.call("echoit", "Hello swarm").body());
    assertEquals(
        List.of("1", "3", "14"),
        List.of(GATEWAY.call("wordcount", "one two three\n").body().trim().split("\\s+")));
    assertEquals("aGk=", GATEWAY.call("base64", "hi").body().trim());
    assertEquals("hi", GATEWAY.call("decodebase64", "aGk=").body());
    assertTrue(GATEWAY.call("nodeinfo", "").body().contains("Hostname:"));
    assertTrue(GATEWAY.call("webhookstash", "payload").body().trim().endsWith(".txt"));
    assertEquals("<h1>Title</h1>\n", GATEWAY.call("markdown", "# Title").body());
  }

  @Test
  void functionScaledToFiveServesFromAllFiveReplicas() throws Exception {
    GATEWAY.deploy("fivefold", "faas-watchdog:latest", "hostname", Map.of());
    GATEWAY.scale("fivefold", 5);
    await(Duration.ofMinutes(2), () -> GATEWAY.available("fivefold") == 5, "5 ready replicas");
    Set<String> hosts = new HashSet<>();
    for (int i = 0; i < 300 && hosts.size() < 5; i++) {
      HttpResponse<String> r = GATEWAY.call("fivefold", "");
      assertEquals(200, r.statusCode(), r.body());
      hosts.add(r.body().trim());
    }
    assertEquals(5, hosts.size(), "replicas that answered: " + hosts);
    GATEWAY.remove("fivefold");
  }

  @Test
  void scaleDownAndImageUpdateUnderLoadLoseNoRequest() throws Exception {
    // scaled by hand only: under this load the autoscaler would add replicas of its own
    GATEWAY.deploy(
        "steady", "faas-fn-echoit:latest", "cat", Map.of("com.openfaas.scale.factor", "0"));
    GATEWAY.scale("steady", 3);
    await(Duration.ofMinutes(2), () -> GATEWAY.available("steady") == 3, "3 ready replicas");
    try (Load load = new Load(GATEWAY, "steady", 4)) {
      load.awaitCalls(50);
      GATEWAY.scale("steady", 1);
      await(Duration.ofMinutes(1), () -> runningTasks("steady") == 1, "1 running task");
      load.awaitCalls(load.calls() + 50);
      String v2 = "faas-fn-echoit:" + V2_TAG;
      GATEWAY.update("steady", v2, "cat");
      await(
          Duration.ofMinutes(2),
          () -> runningTasks("steady") == 1 && runningImages("steady").equals(Set.of(v2)),
          "the update to " + v2);
      load.awaitCalls(load.calls() + 50);
      load.stop();
      assertEquals(0, load.failures(), load.report());
      assertTrue(load.calls() >= 150, load.report());
    }
    GATEWAY.remove("steady");
  }

  @Test
  void killedReplicaIsReplacedAndAtLeast99PercentOfRequestsSucceed() throws Exception {
    // scaled by hand only: under this load the autoscaler would add replicas of its own
    GATEWAY.deploy(
        "sturdy", "faas-fn-echoit:latest", "cat", Map.of("com.openfaas.scale.factor", "0"));
    GATEWAY.scale("sturdy", 3);
    await(Duration.ofMinutes(2), () -> GATEWAY.available("sturdy") == 3, "3 ready replicas");
    List<String> before = containers("sturdy");
    try (Load load = new Load(GATEWAY, "sturdy", 4)) {
      load.awaitCalls(50);
      LOCAL.run(Duration.ofSeconds(30), "docker", "kill", "--signal", "KILL", before.get(0));
      await(
          Duration.ofMinutes(2),
          () -> GATEWAY.available("sturdy") == 3 && !containers("sturdy").contains(before.get(0)),
          "a replacement replica");
      // requests in flight on the killed replica fail (a POST is not repeated): the share is
      // measured over a constant load of at least 600 calls around the kill
      load.awaitCalls(Math.max(load.calls() + 100, 600));
      load.stop();
      assertTrue(load.failures() * 100 <= load.calls(), load.report());
    }
    assertEquals(3, containers("sturdy").size());
    GATEWAY.remove("sturdy");
  }

  @Test
  void deletedFunctionsServiceIsGone() throws Exception {
    GATEWAY.deploy("shortlived", "faas-fn-echoit:latest", "cat", Map.of());
    await(Duration.ofMinutes(1), () -> GATEWAY.available("shortlived") == 1, "1 ready replica");
    assertEquals(1, services("shortlived").size());
    GATEWAY.remove("shortlived");
    await(Duration.ofMinutes(1), () -> services("shortlived").isEmpty(), "the service removed");
    assertEquals(404, GATEWAY.call("shortlived", "x").statusCode());
  }

  @Test
  void callsToAFunctionWhoseTasksKeepFailingGet503WithTheEnginesReason() throws Exception {
    String name = "crashing";
    // the watchdog refuses a bad setting at start and exits with 2: so does every task
    HttpResponse<String> d =
        GATEWAY.system(
            "POST",
            "/system/functions",
            "{\"service\":\""
                + name
                + "\",\"image\":\"faas-fn-echoit:latest\",\"envProcess\":\"cat\","
                + "\"envVars\":{\"exec_timeout\":\"soon\"}}");
    assertEquals(202, d.statusCode(), d.body());
    try {
      HttpResponse<String> r =
          StackGateway.HTTP.send(
              HttpRequest.newBuilder(URI.create(GATEWAY.base + "/function/" + name))
                  .timeout(Duration.ofSeconds(90))
                  .POST(BodyPublishers.ofString("x"))
                  .build(),
              BodyHandlers.ofString());
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(r.body().contains("keep failing"), r.body());
      assertTrue(r.body().contains("non-zero exit (2)"), r.body());
      String status = GATEWAY.system("GET", "/system/function/" + name, null).body();
      assertTrue(status.contains("\"problem\"") && status.contains("non-zero exit (2)"), status);
    } finally {
      GATEWAY.remove(name);
    }
  }

  @Test
  void secretIsMountedForTheFunctionUpdatedForNewReplicasAndRemovedFromDocker() throws Exception {
    String secret = "swsecret";
    String fn = "readsecret";
    String first = "first-" + STACK + "-value";
    String second = "second-" + STACK + "-value";
    String mine = "label=com.openfaas.secret.name=" + secret;
    try {
      HttpResponse<String> created =
          GATEWAY.system("POST", "/system/secrets", secretJson(secret, first));
      assertEquals(202, created.statusCode(), created.body());
      assertEquals(
          409, GATEWAY.system("POST", "/system/secrets", secretJson(secret, first)).statusCode());
      HttpResponse<String> list = GATEWAY.system("GET", "/system/secrets", null);
      assertEquals(200, list.statusCode(), list.body());
      assertTrue(list.body().contains("\"name\":\"" + secret + "\""), list.body());
      assertFalse(list.body().contains(first), list.body());
      assertEquals(List.of(STACK + "_" + secret), dockerSecrets(mine));

      HttpResponse<String> missing =
          GATEWAY.system("POST", "/system/functions", secretFunction("nosecret", "nosuch"));
      assertEquals(400, missing.statusCode(), missing.body());
      assertTrue(services("nosecret").isEmpty(), "a service was created: " + services("nosecret"));

      HttpResponse<String> deployed =
          GATEWAY.system("POST", "/system/functions", secretFunction(fn, secret));
      assertEquals(202, deployed.statusCode(), deployed.body());
      await(Duration.ofMinutes(1), () -> GATEWAY.available(fn) == 1, "1 ready replica");
      assertEquals(first, GATEWAY.call(fn, "").body());
      String container =
          LOCAL.run(
              Duration.ofSeconds(30),
              "docker",
              "service",
              "inspect",
              STACK + "_" + fn,
              "--format",
              "{{json .Spec.TaskTemplate.ContainerSpec}}");
      assertTrue(container.contains("secret_mount_path=/var/openfaas/secrets"), container);
      assertTrue(container.contains("\"Mode\":256"), "mode 0400: " + container);

      HttpResponse<String> updated =
          GATEWAY.system("PUT", "/system/secrets", secretJson(secret, second));
      assertEquals(202, updated.statusCode(), updated.body());
      await(
          Duration.ofMinutes(2),
          () -> {
            try {
              return second.equals(GATEWAY.call(fn, "").body()) && runningTasks(fn) == 1;
            } catch (Exception e) {
              return false;
            }
          },
          "a replica that reads the new value");
      await(
          Duration.ofMinutes(1),
          () -> dockerSecrets(mine).equals(List.of(STACK + "_" + secret + ".v2")),
          "only the new version left in Docker");
      list = GATEWAY.system("GET", "/system/secrets", null);
      assertFalse(list.body().contains(second), list.body());

      HttpResponse<String> inUse =
          GATEWAY.system("DELETE", "/system/secrets", "{\"name\":\"" + secret + "\"}");
      assertEquals(409, inUse.statusCode(), inUse.body());
      assertTrue(inUse.body().contains(fn), inUse.body());

      GATEWAY.remove(fn);
      HttpResponse<String> deleted =
          GATEWAY.system("DELETE", "/system/secrets", "{\"name\":\"" + secret + "\"}");
      assertEquals(202, deleted.statusCode(), deleted.body());
      assertEquals(List.of(), dockerSecrets(mine));
      assertEquals(
          404,
          GATEWAY
              .system("DELETE", "/system/secrets", "{\"name\":\"" + secret + "\"}")
              .statusCode());
      assertFalse(GATEWAY.system("GET", "/system/secrets", null).body().contains(secret));

      String gatewayLogs =
          LOCAL.run(
              Duration.ofSeconds(60), "docker", "service", "logs", "--raw", STACK + "_gateway");
      assertFalse(gatewayLogs.contains(first) || gatewayLogs.contains(second), "a value logged");
    } finally {
      GATEWAY.system("DELETE", "/system/functions", "{\"functionName\":\"" + fn + "\"}");
      GATEWAY.system("DELETE", "/system/functions", "{\"functionName\":\"nosecret\"}");
      GATEWAY.system("DELETE", "/system/secrets", "{\"name\":\"" + secret + "\"}");
      try {
        for (String left : dockerSecrets(mine)) {
          LOCAL.unchecked("docker", "secret", "rm", left);
        }
      } catch (IllegalStateException e) {
        System.err.println("SwarmIT: Docker secrets of " + secret + " left: " + e.getMessage());
      }
    }
  }

  private static String secretJson(String name, String value) {
    return "{\"name\":\"" + name + "\",\"value\":\"" + value + "\"}";
  }

  /** A function that answers with the content of its secret's file. */
  private static String secretFunction(String name, String secret) {
    return "{\"service\":\""
        + name
        + "\",\"image\":\"faas-watchdog:latest\",\"envProcess\":\"cat /var/openfaas/secrets/"
        + secret
        + "\",\"secrets\":[\""
        + secret
        + "\"]}";
  }

  /** The names of the Docker secrets that match the filter, sorted. */
  private static List<String> dockerSecrets(String filter) {
    return Commands.lines(
            LOCAL.unchecked("docker", "secret", "ls", "--filter", filter, "--format", "{{.Name}}"))
        .stream()
        .sorted()
        .toList();
  }

  // --- helpers

  private static int runningTasks(String name) {
    return SERVICES.tasks(name).size();
  }

  private static Set<String> runningImages(String name) {
    return SERVICES.runningImages(name);
  }

  private static List<String> containers(String name) {
    return SERVICES.containers(name);
  }

  private static List<String> services(String name) {
    return SERVICES.services(name);
  }

  private static void await(Duration limit, Poll.Condition condition, String what)
      throws InterruptedException {
    Poll.tolerating(limit, what, condition);
  }
}
