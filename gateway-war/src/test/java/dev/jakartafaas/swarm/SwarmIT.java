package dev.jakartafaas.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Needs;
import dev.jakartafaas.testing.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).normalize();
  private static final String STACK =
      "swit" + Integer.toHexString(new Random().nextInt(0x10000) | 0x10000).substring(1);
  private static final int PORT = Integer.getInteger("swarm.port", 31112);
  private static final String BASE = "http://127.0.0.1:" + PORT;
  private static final String V2_TAG = STACK + "-v2";
  private static final Pattern AVAILABLE = Pattern.compile("\"availableReplicas\":(\\d+)");
  private static final Pattern REPLICAS = Pattern.compile("\"replicas\":(\\d+)");

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static boolean deployed;

  @BeforeAll
  static void deployStack() throws Exception {
    requireSwarm();
    run(Duration.ofMinutes(8), "bash", "stack/build-images.sh", "--no-maven");
    deployed = true;
    run(
        Duration.ofMinutes(6),
        "bash",
        "stack/deploy.sh",
        "--stack",
        STACK,
        "--port",
        Integer.toString(PORT),
        "--no-build");
    run(
        Duration.ofSeconds(30),
        "docker",
        "tag",
        "faas-fn-echoit:latest",
        "faas-fn-echoit:" + V2_TAG);
  }

  @AfterAll
  static void removeStack() throws Exception {
    if (deployed) {
      run(Duration.ofMinutes(2), "bash", "stack/remove.sh", "--stack", STACK);
      run(Duration.ofSeconds(30), "docker", "image", "rm", "faas-fn-echoit:" + V2_TAG);
    }
  }

  /** Skips without an engine in a swarm, but fails under CI, where the swarm must be there. */
  private static void requireSwarm() {
    String state;
    try {
      state =
          run(Duration.ofSeconds(30), "docker", "info", "--format", "{{.Swarm.LocalNodeState}}");
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
        HTTP.send(
            HttpRequest.newBuilder(URI.create(BASE + "/system/functions"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode(), anonymous.body());
    assertEquals(200, system("GET", "/system/functions", null).statusCode());
  }

  @Test
  void everySampleFunctionAnswersThroughTheGateway() throws Exception {
    assertEquals("Hello swarm", call("echoit", "Hello swarm").body());
    assertEquals(
        List.of("1", "3", "14"),
        List.of(call("wordcount", "one two three\n").body().trim().split("\\s+")));
    assertEquals("aGk=", call("base64", "hi").body().trim());
    assertEquals("hi", call("decodebase64", "aGk=").body());
    assertTrue(call("nodeinfo", "").body().contains("Hostname:"));
    assertTrue(call("webhookstash", "payload").body().trim().endsWith(".txt"));
    assertEquals("<h1>Title</h1>\n", call("markdown", "# Title").body());
  }

  @Test
  void functionScaledToFiveServesFromAllFiveReplicas() throws Exception {
    deploy("fivefold", "faas-watchdog:latest", "hostname", Map.of());
    scale("fivefold", 5);
    await(Duration.ofMinutes(2), () -> available("fivefold") == 5, "5 ready replicas");
    Set<String> hosts = new HashSet<>();
    for (int i = 0; i < 300 && hosts.size() < 5; i++) {
      HttpResponse<String> r = call("fivefold", "");
      assertEquals(200, r.statusCode(), r.body());
      hosts.add(r.body().trim());
    }
    assertEquals(5, hosts.size(), "replicas that answered: " + hosts);
    remove("fivefold");
  }

  @Test
  void scaleDownAndImageUpdateUnderLoadLoseNoRequest() throws Exception {
    // scaled by hand only: under this load the autoscaler would add replicas of its own
    deploy("steady", "faas-fn-echoit:latest", "cat", Map.of("com.openfaas.scale.factor", "0"));
    scale("steady", 3);
    await(Duration.ofMinutes(2), () -> available("steady") == 3, "3 ready replicas");
    try (Load load = new Load("steady", 4)) {
      load.awaitCalls(50);
      scale("steady", 1);
      await(Duration.ofMinutes(1), () -> runningTasks("steady") == 1, "1 running task");
      load.awaitCalls(load.calls() + 50);
      String v2 = "faas-fn-echoit:" + V2_TAG;
      update("steady", v2, "cat");
      await(
          Duration.ofMinutes(2),
          () -> runningTasks("steady") == 1 && runningImages("steady").equals(Set.of(v2)),
          "the update to " + v2);
      load.awaitCalls(load.calls() + 50);
      load.stop();
      assertEquals(0, load.failures(), load.report());
      assertTrue(load.calls() >= 150, load.report());
    }
    remove("steady");
  }

  @Test
  void killedReplicaIsReplacedAndAtLeast99PercentOfRequestsSucceed() throws Exception {
    // scaled by hand only: under this load the autoscaler would add replicas of its own
    deploy("sturdy", "faas-fn-echoit:latest", "cat", Map.of("com.openfaas.scale.factor", "0"));
    scale("sturdy", 3);
    await(Duration.ofMinutes(2), () -> available("sturdy") == 3, "3 ready replicas");
    List<String> before = containers("sturdy");
    try (Load load = new Load("sturdy", 4)) {
      load.awaitCalls(50);
      run(Duration.ofSeconds(30), "docker", "kill", "--signal", "KILL", before.get(0));
      await(
          Duration.ofMinutes(2),
          () -> available("sturdy") == 3 && !containers("sturdy").contains(before.get(0)),
          "a replacement replica");
      // requests in flight on the killed replica fail (a POST is not repeated): the share is
      // measured over a constant load of at least 600 calls around the kill
      load.awaitCalls(Math.max(load.calls() + 100, 600));
      load.stop();
      assertTrue(load.failures() * 100 <= load.calls(), load.report());
    }
    assertEquals(3, containers("sturdy").size());
    remove("sturdy");
  }

  @Test
  void autoscalerScalesUpUnderLoadAndBackToOne() throws Exception {
    deploy(
        "autoecho",
        "faas-fn-echoit:latest",
        "cat",
        Map.of("com.openfaas.scale.min", "1", "com.openfaas.scale.max", "5"));
    await(Duration.ofMinutes(1), () -> available("autoecho") == 1, "1 ready replica");
    try (Load load = new Load("autoecho", 4)) {
      await(Duration.ofMinutes(2), () -> replicas("autoecho") > 1, "a scale-up under load");
      load.stop();
      assertEquals(0, load.failures(), load.report());
    }
    await(Duration.ofMinutes(2), () -> replicas("autoecho") == 1, "the scale-down to 1");
    await(Duration.ofMinutes(1), () -> runningTasks("autoecho") == 1, "1 running task");
    remove("autoecho");
  }

  @Test
  void deletedFunctionsServiceIsGone() throws Exception {
    deploy("shortlived", "faas-fn-echoit:latest", "cat", Map.of());
    await(Duration.ofMinutes(1), () -> available("shortlived") == 1, "1 ready replica");
    assertEquals(1, services("shortlived").size());
    remove("shortlived");
    await(Duration.ofMinutes(1), () -> services("shortlived").isEmpty(), "the service removed");
    assertEquals(404, call("shortlived", "x").statusCode());
  }

  @Test
  void callsToAFunctionWhoseTasksKeepFailingGet503WithTheEnginesReason() throws Exception {
    String name = "crashing";
    // the watchdog refuses a bad setting at start and exits with 2: so does every task
    HttpResponse<String> d =
        system(
            "POST",
            "/system/functions",
            "{\"service\":\""
                + name
                + "\",\"image\":\"faas-fn-echoit:latest\",\"envProcess\":\"cat\","
                + "\"envVars\":{\"exec_timeout\":\"soon\"}}");
    assertEquals(202, d.statusCode(), d.body());
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(BASE + "/function/" + name))
                  .timeout(Duration.ofSeconds(90))
                  .POST(BodyPublishers.ofString("x"))
                  .build(),
              BodyHandlers.ofString());
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(r.body().contains("keep failing"), r.body());
      assertTrue(r.body().contains("non-zero exit (2)"), r.body());
      String status = system("GET", "/system/function/" + name, null).body();
      assertTrue(status.contains("\"problem\"") && status.contains("non-zero exit (2)"), status);
    } finally {
      remove(name);
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
      HttpResponse<String> created = system("POST", "/system/secrets", secretJson(secret, first));
      assertEquals(202, created.statusCode(), created.body());
      assertEquals(409, system("POST", "/system/secrets", secretJson(secret, first)).statusCode());
      HttpResponse<String> list = system("GET", "/system/secrets", null);
      assertEquals(200, list.statusCode(), list.body());
      assertTrue(list.body().contains("\"name\":\"" + secret + "\""), list.body());
      assertFalse(list.body().contains(first), list.body());
      assertEquals(List.of(STACK + "_" + secret), dockerSecrets(mine));

      HttpResponse<String> missing =
          system("POST", "/system/functions", secretFunction("nosecret", "nosuch"));
      assertEquals(400, missing.statusCode(), missing.body());
      assertTrue(services("nosecret").isEmpty(), "a service was created: " + services("nosecret"));

      HttpResponse<String> deployed =
          system("POST", "/system/functions", secretFunction(fn, secret));
      assertEquals(202, deployed.statusCode(), deployed.body());
      await(Duration.ofMinutes(1), () -> available(fn) == 1, "1 ready replica");
      assertEquals(first, call(fn, "").body());
      String container =
          run(
              Duration.ofSeconds(30),
              "docker",
              "service",
              "inspect",
              STACK + "_" + fn,
              "--format",
              "{{json .Spec.TaskTemplate.ContainerSpec}}");
      assertTrue(container.contains("secret_mount_path=/var/openfaas/secrets"), container);
      assertTrue(container.contains("\"Mode\":256"), "mode 0400: " + container);

      HttpResponse<String> updated = system("PUT", "/system/secrets", secretJson(secret, second));
      assertEquals(202, updated.statusCode(), updated.body());
      await(
          Duration.ofMinutes(2),
          () -> {
            try {
              return second.equals(call(fn, "").body()) && runningTasks(fn) == 1;
            } catch (Exception e) {
              return false;
            }
          },
          "a replica that reads the new value");
      await(
          Duration.ofMinutes(1),
          () -> dockerSecrets(mine).equals(List.of(STACK + "_" + secret + ".v2")),
          "only the new version left in Docker");
      list = system("GET", "/system/secrets", null);
      assertFalse(list.body().contains(second), list.body());

      HttpResponse<String> inUse =
          system("DELETE", "/system/secrets", "{\"name\":\"" + secret + "\"}");
      assertEquals(409, inUse.statusCode(), inUse.body());
      assertTrue(inUse.body().contains(fn), inUse.body());

      remove(fn);
      HttpResponse<String> deleted =
          system("DELETE", "/system/secrets", "{\"name\":\"" + secret + "\"}");
      assertEquals(202, deleted.statusCode(), deleted.body());
      assertEquals(List.of(), dockerSecrets(mine));
      assertEquals(
          404, system("DELETE", "/system/secrets", "{\"name\":\"" + secret + "\"}").statusCode());
      assertFalse(system("GET", "/system/secrets", null).body().contains(secret));

      String gatewayLogs =
          run(Duration.ofSeconds(60), "docker", "service", "logs", "--raw", STACK + "_gateway");
      assertFalse(gatewayLogs.contains(first) || gatewayLogs.contains(second), "a value logged");
    } finally {
      system("DELETE", "/system/functions", "{\"functionName\":\"" + fn + "\"}");
      system("DELETE", "/system/functions", "{\"functionName\":\"nosecret\"}");
      system("DELETE", "/system/secrets", "{\"name\":\"" + secret + "\"}");
      try {
        for (String left : dockerSecrets(mine)) {
          uncheckedRun("docker", "secret", "rm", left);
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
    return lines(
            uncheckedRun("docker", "secret", "ls", "--filter", filter, "--format", "{{.Name}}"))
        .stream()
        .sorted()
        .toList();
  }

  // --- helpers

  private static HttpResponse<String> call(String function, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(BASE + "/function/" + function))
            .timeout(Duration.ofSeconds(30))
            .POST(BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  /** The credentials deploy.sh generated for the stack. */
  private static String authorization() throws java.io.IOException {
    String password =
        java.nio.file.Files.readString(ROOT.resolve("data/" + STACK + "-basic-auth-password"))
            .strip();
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(
                ("admin:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> system(String method, String path, String json)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(BASE + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Authorization", authorization())
            .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json))
            .build(),
        BodyHandlers.ofString());
  }

  private static String deployment(
      String name, String image, String fprocess, Map<String, String> labels) {
    StringBuilder l = new StringBuilder();
    labels.forEach(
        (k, v) ->
            l.append(l.isEmpty() ? "" : ",")
                .append('"')
                .append(k)
                .append("\":\"")
                .append(v)
                .append('"'));
    return "{\"service\":\""
        + name
        + "\",\"image\":\""
        + image
        + "\",\"envProcess\":\""
        + fprocess
        + "\",\"labels\":{"
        + l
        + "}}";
  }

  private static void deploy(String name, String image, String fprocess, Map<String, String> labels)
      throws Exception {
    HttpResponse<String> r =
        system("POST", "/system/functions", deployment(name, image, fprocess, labels));
    assertEquals(202, r.statusCode(), r.body());
  }

  private static void update(String name, String image, String fprocess) throws Exception {
    HttpResponse<String> r =
        system("PUT", "/system/functions", deployment(name, image, fprocess, Map.of()));
    assertEquals(202, r.statusCode(), r.body());
  }

  private static void scale(String name, int replicas) throws Exception {
    HttpResponse<String> r =
        system(
            "POST",
            "/system/scale-function/" + name,
            "{\"serviceName\":\"" + name + "\",\"replicas\":" + replicas + "}");
    assertEquals(202, r.statusCode(), r.body());
  }

  private static void remove(String name) throws Exception {
    HttpResponse<String> r =
        system("DELETE", "/system/functions", "{\"functionName\":\"" + name + "\"}");
    assertEquals(202, r.statusCode(), r.body());
  }

  private static int status(String name, Pattern field) {
    try {
      HttpResponse<String> r = system("GET", "/system/function/" + name, null);
      Matcher m = field.matcher(r.body());
      return r.statusCode() == 200 && m.find() ? Integer.parseInt(m.group(1)) : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  private static int available(String name) {
    return status(name, AVAILABLE);
  }

  private static int replicas(String name) {
    return status(name, REPLICAS);
  }

  private static List<String> services(String name) {
    return lines(
            uncheckedRun("docker", "service", "ls", "-q", "--filter", "name=" + STACK + "_" + name))
        .stream()
        .toList();
  }

  private static int runningTasks(String name) {
    return runningImages(name).isEmpty() ? 0 : lines(tasks(name)).size();
  }

  private static String tasks(String name) {
    return uncheckedRun(
        "docker",
        "service",
        "ps",
        "--filter",
        "desired-state=running",
        "--format",
        "{{.CurrentState}} {{.Image}}",
        STACK + "_" + name);
  }

  private static Set<String> runningImages(String name) {
    Set<String> images = new HashSet<>();
    for (String line : lines(tasks(name))) {
      String[] parts = line.split(" ");
      if (!line.startsWith("Running")) {
        return Set.of("(not all running)");
      }
      images.add(parts[parts.length - 1]);
    }
    return images;
  }

  private static List<String> containers(String name) {
    return lines(
        uncheckedRun(
            "docker",
            "ps",
            "-q",
            "--filter",
            "label=com.docker.swarm.service.name=" + STACK + "_" + name));
  }

  private static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static void await(Duration limit, BooleanSupplier condition, String what)
      throws InterruptedException {
    Poll.untilTrue(limit, what, condition);
  }

  private static String uncheckedRun(String... command) {
    try {
      return run(Duration.ofSeconds(30), command);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command in the repository root; its output, or an exception naming the failure. */
  private static String run(Duration limit, String... command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("swarm-it", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " took over " + limit.toSeconds() + " s");
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command) + " exited " + p.exitValue() + ": " + tail(output));
      }
      return output;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String tail(String s) {
    return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
  }

  /**
   * A constant, bounded load: a few threads each sending one request after another (at most ten
   * thousand each, for at most five minutes) and checking that the body comes back.
   */
  private static final class Load implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final Map<String, Integer> failureKinds = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    Load(String function, int concurrency) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      for (int t = 0; t < concurrency; t++) {
        int id = t;
        Thread thread =
            new Thread(
                () -> {
                  for (int i = 0; i < 10_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                    String body = "load " + id + " " + i;
                    String kind;
                    try {
                      HttpResponse<String> r = call(function, body);
                      kind =
                          r.statusCode() == 200 && r.body().equals(body)
                              ? null
                              : r.statusCode() + " " + r.body().strip();
                    } catch (Exception e) {
                      kind = e.getClass().getSimpleName() + " " + e.getMessage();
                    }
                    calls.incrementAndGet();
                    if (kind != null) {
                      failures.incrementAndGet();
                      failureKinds.merge(kind, 1, Integer::sum);
                    }
                  }
                },
                "load-" + function + "-" + t);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    int calls() {
      return calls.get();
    }

    int failures() {
      return failures.get();
    }

    String report() {
      return calls + " calls, " + failures + " failed: " + failureKinds;
    }

    void awaitCalls(int n) throws InterruptedException {
      await(Duration.ofMinutes(2), () -> calls.get() >= n || stop.get(), n + " calls");
    }

    void stop() throws InterruptedException {
      if (!stop.get()) {
        System.out.println("SwarmIT load on " + threads.get(0).getName() + ": " + report());
      }
      stop.set(true);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }
}
