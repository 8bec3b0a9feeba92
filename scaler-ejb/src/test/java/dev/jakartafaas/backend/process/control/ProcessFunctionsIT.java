package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.problems.entity.BackendUnavailableException;
import dev.jakartafaas.problems.entity.FunctionExistsException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.testing.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process backend with real watchdog replicas on loopback ports, no container. */
class ProcessFunctionsIT {

  private static final Path WATCHDOG = Path.of(System.getProperty("watchdog.jar", "missing"));
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final ThreadFactory DAEMONS =
      r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
      };

  @TempDir Path data;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ProcessFunctions> opened = new ArrayList<>();
  private final List<ReplicaAddress> stopped = new CopyOnWriteArrayList<>();

  @BeforeEach
  void watchdogIsBuilt() {
    assertTrue(Files.isRegularFile(WATCHDOG), "build the watchdog first: " + WATCHDOG);
  }

  @AfterEach
  void closeAll() {
    opened.forEach(ProcessFunctions::close);
  }

  private ProcessSettings settings(Path jar) {
    return settings(jar, data);
  }

  private static ProcessSettings settings(Path jar, Path data) {
    return new ProcessSettings(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-Xmx32m"),
        jar,
        "setsid",
        Path.of("."),
        data,
        List.of("PATH", "HOME", "LANG", "TZ"),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        Duration.ofMillis(200),
        500);
  }

  private ProcessFunctions start(Map<String, String> env) {
    ProcessFunctions f = new ProcessFunctions(settings(WATCHDOG), env, DAEMONS, stopped::add);
    opened.add(f);
    f.start();
    return f;
  }

  private ProcessFunctions start() {
    return start(System.getenv());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.untilTrue(WAIT, what, condition);
  }

  private static List<ReplicaAddress> ready(ProcessFunctions f, String name) {
    return f.readyReplicas(name).orElseThrow();
  }

  private HttpResponse<String> call(ReplicaAddress a, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + a.host() + ":" + a.port() + "/"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void deployedFunctionAnswersThroughItsReadyReplica() throws Exception {
    ProcessFunctions f = start();
    FunctionState s = f.deploy(FunctionDeployment.of("echoit", "cat"), 1);
    assertEquals(1, s.replicas());
    await("echoit ready", () -> ready(f, "echoit").size() == 1);
    ReplicaAddress a = ready(f, "echoit").get(0);
    assertEquals("127.0.0.1", a.host());
    HttpResponse<String> r = call(a, "Hello, Function as a Service");
    assertEquals(200, r.statusCode());
    assertEquals("Hello, Function as a Service", r.body());
    assertEquals(1, f.find("echoit").orElseThrow().availableReplicas());
  }

  @Test
  void eachReplicaLeadsItsOwnProcessGroup() throws Exception {
    ProcessFunctions f = start();
    f.deploy(FunctionDeployment.of("grp", "cat"), 1);
    await("grp ready", () -> ready(f, "grp").size() == 1);
    ProcessHandle p = f.processes("grp").get(0);
    assertEquals(p.pid(), ProcessGroups.groupOf(p.pid()).orElseThrow());
  }

  @Test
  void replicasSeeOnlyAllowListedVariablesOfTheGateway() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("GATEWAY_SECRET", "must-not-leak");
    ProcessFunctions f = start(env);
    f.deploy(FunctionDeployment.of("envdump", "env").withEnvVars(Map.of("GREETING", "hi")), 1);
    await("envdump ready", () -> ready(f, "envdump").size() == 1);
    String out = call(ready(f, "envdump").get(0), "").body();
    assertTrue(out.contains("GREETING=hi"), out);
    assertTrue(out.contains("PATH="), out);
    assertFalse(out.contains("must-not-leak"), out);
    assertFalse(out.contains("GATEWAY_SECRET"), out);
  }

  @Test
  void scalesUpToThreeReplicasOnDistinctPortsAndDownWithSigterm() throws Exception {
    ProcessFunctions f = start();
    f.deploy(FunctionDeployment.of("scaled", "cat"), 1);
    f.scale("scaled", 3);
    await("3 ready", () -> ready(f, "scaled").size() == 3);
    Set<Integer> ports = new HashSet<>();
    for (ReplicaAddress a : ready(f, "scaled")) {
      ports.add(a.port());
      assertEquals("x", call(a, "x").body());
    }
    assertEquals(3, ports.size());
    List<ProcessHandle> before = f.processes("scaled");
    f.scale("scaled", 1);
    assertEquals(1, ready(f, "scaled").size(), "stopped replicas leave the ready set at once");
    await("2 replicas exit", () -> before.stream().filter(ProcessHandle::isAlive).count() == 1);
    await("stop events", () -> stopped.size() == 2);
    List<String> texts = f.logs("scaled", -1, null).stream().map(LogLine::text).toList();
    assertEquals(
        2,
        texts.stream().filter(t -> t.equals("faas: replica stopped, status 0")).count(),
        "" + texts);
    assertEquals(1, f.find("scaled").orElseThrow().replicas());
  }

  @Test
  void replacesAReplicaThatDies() throws Exception {
    ProcessFunctions f = start();
    f.deploy(FunctionDeployment.of("phoenix", "cat"), 1);
    await("ready", () -> ready(f, "phoenix").size() == 1);
    ProcessHandle first = f.processes("phoenix").get(0);
    ReplicaAddress firstAddress = ready(f, "phoenix").get(0);
    first.destroyForcibly();
    await(
        "a new replica",
        () -> ready(f, "phoenix").size() == 1 && !ready(f, "phoenix").contains(firstAddress));
    assertNotEquals(first.pid(), f.processes("phoenix").get(0).pid());
    assertEquals("again", call(ready(f, "phoenix").get(0), "again").body());
    assertTrue(
        f.logs("phoenix", -1, null).stream()
            .anyMatch(l -> l.text().startsWith("faas: replica exited unexpectedly")));
  }

  @Test
  void rollsAnUpdateOverToTheNewCommand() throws Exception {
    ProcessFunctions f = start();
    f.deploy(FunctionDeployment.of("rolling", "cat"), 1);
    await("ready", () -> ready(f, "rolling").size() == 1);
    ReplicaAddress old = ready(f, "rolling").get(0);
    f.update(FunctionDeployment.of("rolling", "wc -c"));
    await(
        "new replica replaces the old",
        () -> ready(f, "rolling").size() == 1 && !ready(f, "rolling").contains(old));
    assertEquals("5", call(ready(f, "rolling").get(0), "hello").body().trim());
    assertEquals("wc -c", f.find("rolling").orElseThrow().deployment().envProcess());
  }

  @Test
  void removeStopsEveryReplicaAndForgetsTheFunction() throws Exception {
    ProcessFunctions f = start();
    f.deploy(FunctionDeployment.of("gone", "cat"), 1);
    f.scale("gone", 2);
    await("2 ready", () -> ready(f, "gone").size() == 2);
    List<ProcessHandle> processes = f.processes("gone");
    f.remove("gone");
    assertTrue(f.readyReplicas("gone").isEmpty());
    await("replicas exit", () -> processes.stream().noneMatch(ProcessHandle::isAlive));
    assertThrows(FunctionNotFoundException.class, () -> f.remove("gone"));
    assertFalse(Files.exists(data.resolve("functions/gone.json")));
  }

  @Test
  void functionsComeBackAfterARestartAndNoChildOutlivesClose() throws Exception {
    ProcessFunctions first = start();
    first.deploy(FunctionDeployment.of("durable", "cat").withEnvVars(Map.of("A", "1")), 1);
    first.scale("durable", 2);
    await("2 ready", () -> ready(first, "durable").size() == 2);
    List<ProcessHandle> processes = first.processes("durable");
    first.close();
    assertTrue(processes.stream().noneMatch(ProcessHandle::isAlive), "replicas outlived close");
    assertEquals(List.of(), ProcessGroups.withArgument(settings(WATCHDOG).ownerMarker()));

    ProcessFunctions second = start();
    FunctionState restored = second.find("durable").orElseThrow();
    assertEquals(2, restored.replicas());
    assertEquals(Map.of("A", "1"), restored.deployment().envVars());
    await("restored replicas ready", () -> ready(second, "durable").size() == 2);
    assertEquals("back", call(ready(second, "durable").get(0), "back").body());
  }

  @Test
  void killsReplicasAndWhatTheyStartedLeftBehindByACrashedGateway() throws Exception {
    Process orphan =
        new ProcessBuilder("sh", "-c", "sleep 300", settings(WATCHDOG).ownerMarker()).start();
    ProcessBuilder grandchild = new ProcessBuilder("sleep", "300");
    grandchild.environment().put("TMPDIR", data.resolve("tmp").resolve("f-1").toString());
    Process started = grandchild.start();
    try {
      start();
      await("orphan killed", () -> !orphan.isAlive());
      await("what a replica started is killed", () -> !started.isAlive());
    } finally {
      orphan.destroyForcibly();
      started.destroyForcibly();
    }
  }

  @Test
  void refusesADuplicateAndAnUnrunnableDeployment() {
    ProcessFunctions f = start();
    f.deploy(FunctionDeployment.of("twice", "cat"), 1);
    assertThrows(
        FunctionExistsException.class, () -> f.deploy(FunctionDeployment.of("twice", "cat"), 1));
    assertThrows(
        FunctionNotFoundException.class, () -> f.update(FunctionDeployment.of("absent", "cat")));
    assertThrows(FunctionNotFoundException.class, () -> f.scale("absent", 2));

    ProcessFunctions noJar =
        new ProcessFunctions(
            settings(data.resolve("no.jar"), data.resolve("other")), Map.of(), DAEMONS, a -> {});
    opened.add(noJar);
    noJar.start();
    BackendUnavailableException e =
        assertThrows(
            BackendUnavailableException.class,
            () -> noJar.deploy(FunctionDeployment.of("x", "cat"), 1));
    assertTrue(e.getMessage().contains("no watchdog jar"), e.getMessage());
    assertTrue(noJar.list().isEmpty(), "a rejected deployment creates nothing");
  }

  @Test
  void keepsTheReplicasOutputAsLogLines() throws Exception {
    ProcessFunctions f = start();
    f.deploy(FunctionDeployment.of("chatty", "cat"), 1);
    await("ready", () -> ready(f, "chatty").size() == 1);
    List<LogLine> lines = f.logs("chatty", -1, null);
    assertTrue(lines.stream().anyMatch(l -> l.text().equals("faas: replica ready")), "" + lines);
    assertTrue(lines.stream().allMatch(l -> l.name().equals("chatty")));
    assertTrue(lines.stream().allMatch(l -> l.instance().equals("chatty-1")));
    assertEquals(1, f.logs("chatty", 1, null).size());
  }
}
