package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jakartafaas.backend.entity.LogFollow;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.LogSink;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.problems.entity.BackendUnavailableException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.testing.Poll;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The backend against a small fake Docker API and a real health endpoint on loopback: a task gets
 * traffic once healthy, loses it when swarm stops it, and the ready set survives an engine that
 * stops answering while management calls fail with 503.
 */
class SwarmFunctionsTest {

  private static final String SERVICES =
      """
      [{"ID":"s1","Version":{"Index":7},"CreatedAt":"2026-11-26T17:00:00.000000000Z",
        "Spec":{"Name":"echoit","Labels":{"function":"true","com.openfaas.function":"echoit"},
                "TaskTemplate":{"ContainerSpec":{"Image":"faas-fn-echoit:latest",
                                                 "Env":["fprocess=cat"]}},
                "Mode":{"Replicated":{"Replicas":1}}}},
       {"ID":"s2","Version":{"Index":3},
        "Spec":{"Name":"database","Labels":{"app":"db"},"Mode":{"Replicated":{"Replicas":1}}}}]
      """;

  private static final String SERVICE_S1 =
      """
      {"ID":"s1","Version":{"Index":7},
       "Spec":{"Name":"echoit","Labels":{"function":"true","com.openfaas.function":"echoit"},
               "Mode":{"Replicated":{"Replicas":1}}}}
      """;

  private final List<String> updates = new CopyOnWriteArrayList<>();
  private final List<String> logQueries = new CopyOnWriteArrayList<>();

  private static String tasks(String desiredState) {
    return """
        [{"ID":"t1","ServiceID":"s1","Slot":1,"DesiredState":"%s","Status":{"State":"running"},
          "NetworksAttachments":[{"Network":{"Spec":{"Name":"functions"}},
                                  "Addresses":["127.0.0.1/8"]}]}]
        """
        .formatted(desiredState);
  }

  private volatile String taskJson = tasks("running");
  private volatile int healthStatus = 503;
  private HttpServer engine;
  private HttpServer watchdog;
  private SwarmFunctions functions;
  private final List<ReplicaAddress> stopped = new CopyOnWriteArrayList<>();

  private void start() throws IOException {
    engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    engine.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getPath();
          if (path.endsWith("/services")) {
            answer(ex, 200, SERVICES);
          } else if (path.endsWith("/services/s1")) {
            answer(ex, 200, SERVICE_S1);
          } else if (path.endsWith("/services/s1/update")) {
            updates.add(ex.getRequestURI().getQuery());
            ex.getRequestBody().readAllBytes();
            if (updates.size() == 1) {
              answer(
                  ex,
                  500,
                  "{\"message\":\"rpc error: code = Unknown desc = update out of sequence\"}");
            } else {
              answer(ex, 200, "{\"Warnings\":null}");
            }
          } else if (path.endsWith("/services/s1/logs")) {
            logQueries.add(ex.getRequestURI().getQuery());
            byte[] line =
                "2026-12-03T14:00:07Z com.docker.swarm.task.id=t1 hello from t1\n"
                    .getBytes(StandardCharsets.UTF_8);
            byte[] framed = new byte[8 + line.length];
            framed[0] = 1;
            framed[7] = (byte) line.length;
            System.arraycopy(line, 0, framed, 8, line.length);
            ex.sendResponseHeaders(200, framed.length);
            try (var out = ex.getResponseBody()) {
              out.write(framed);
            }
          } else if (path.endsWith("/tasks")) {
            answer(ex, 200, taskJson);
          } else {
            answer(ex, 404, "{\"message\":\"not here\"}");
          }
        });
    engine.start();
    watchdog = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    watchdog.createContext("/_/health", ex -> answer(ex, healthStatus, "health"));
    watchdog.start();
    SwarmSettings settings =
        new SwarmSettings(
            "tcp://127.0.0.1:" + engine.getAddress().getPort(),
            "functions",
            "",
            Duration.ofSeconds(1),
            Duration.ofMillis(50),
            watchdog.getAddress().getPort(),
            Duration.ofSeconds(1),
            3,
            Duration.ofSeconds(1),
            "1000");
    functions = new SwarmFunctions(settings, new DockerEngine(settings), Thread::new, stopped::add);
    functions.start();
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (var out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @AfterEach
  void stop() {
    if (functions != null) {
      functions.close();
    }
    if (engine != null) {
      engine.stop(0);
    }
    if (watchdog != null) {
      watchdog.stop(0);
    }
  }

  private int ready() {
    return functions.readyReplicas("echoit").map(List::size).orElse(-1);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Poll.untilTrue(Duration.ofSeconds(20), what, condition);
  }

  @Test
  void runningTaskGetsTrafficOnlyOnceItsHealthAnswers200() throws Exception {
    start();
    assertEquals(Optional.of(List.of()), functions.readyReplicas("echoit"));
    healthStatus = 200;
    await(() -> ready() == 1, "the task ready");
    ReplicaAddress a = functions.readyReplicas("echoit").orElseThrow().get(0);
    assertEquals(
        new ReplicaAddress("echoit", "t1", "127.0.0.1", watchdog.getAddress().getPort()), a);
  }

  @Test
  void onlyServicesWithTheFunctionLabelAreFunctions() throws Exception {
    start();
    assertEquals(List.of("echoit"), functions.list().stream().map(f -> f.name()).toList());
    assertEquals(Optional.empty(), functions.readyReplicas("database"));
    assertEquals("cat", functions.find("echoit").orElseThrow().deployment().envProcess());
  }

  @Test
  void taskSwarmStopsLosesTrafficAndIsReportedStopped() throws Exception {
    healthStatus = 200;
    start();
    await(() -> ready() == 1, "the task ready");
    taskJson = tasks("shutdown");
    await(() -> ready() == 0, "the task dropped");
    assertEquals(1, stopped.size());
  }

  @Test
  void scaleReadsTheServiceAgainAndRetriesWhenTheUpdateIsOutOfSequence() throws Exception {
    start();
    functions.scale("echoit", 3);
    assertEquals(2, updates.size(), "update attempts: " + updates);
    assertTrue(updates.get(1).contains("version=7"), updates.get(1));
  }

  @Test
  void unreachableEngineKeepsReadyReplicasAndManagementIs503() throws Exception {
    healthStatus = 200;
    start();
    await(() -> ready() == 1, "the task ready");
    engine.stop(0);
    long start = System.nanoTime();
    assertThrows(BackendUnavailableException.class, functions::list);
    assertThrows(BackendUnavailableException.class, () -> functions.scale("echoit", 2));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    // several refresh intervals later the replica is still served
    Poll.during(
        Duration.ofMillis(300), "the last known replica is still served", () -> ready() == 1);
  }

  @Test
  void aServiceWhoseTasksKeepFailingHasTheEnginesReason() throws Exception {
    taskJson =
        """
        [{"ID":"t3","ServiceID":"s1","Slot":1,"DesiredState":"shutdown",
          "Status":{"State":"failed","Err":"task: non-zero exit (2)",
                    "Timestamp":"2026-12-03T08:00:03Z"}},
         {"ID":"t2","ServiceID":"s1","Slot":1,"DesiredState":"shutdown",
          "Status":{"State":"failed","Err":"task: non-zero exit (2)",
                    "Timestamp":"2026-12-03T08:00:02Z"}},
         {"ID":"t1","ServiceID":"s1","Slot":1,"DesiredState":"shutdown",
          "Status":{"State":"failed","Err":"task: non-zero exit (2)",
                    "Timestamp":"2026-12-03T08:00:01Z"}}]
        """;
    start();
    await(() -> functions.problem("echoit").isPresent(), "the problem known");
    assertEquals(
        "task t3 failed: task: non-zero exit (2)", functions.problem("echoit").get().reason());
    assertTrue(functions.problem("echoit").get().keepsFailing());
    assertEquals(
        functions.problem("echoit"),
        Optional.ofNullable(functions.find("echoit").orElseThrow().problem()));
    // a replica ready again: no problem
    taskJson = tasks("running");
    healthStatus = 200;
    await(() -> ready() == 1 && functions.problem("echoit").isEmpty(), "the problem gone");
  }

  @Test
  void followingAFunctionsLogStreamsItsServicesLinesUntilTheEngineEndsThem() throws Exception {
    start();
    List<String> lines = new CopyOnWriteArrayList<>();
    List<String> ended = new CopyOnWriteArrayList<>();
    LogFollow follow =
        functions.followLogs(
            "echoit",
            3,
            null,
            new LogSink() {
              @Override
              public void line(LogLine line) {
                lines.add(line.instance() + " " + line.text());
              }

              @Override
              public void end(String why) {
                ended.add(why);
              }
            });
    Poll.untilTrue(Duration.ofSeconds(20), "the stream's end", () -> !ended.isEmpty());
    follow.close();
    assertEquals(List.of("t1 hello from t1"), lines);
    assertEquals(List.of("stdout=1&stderr=1&timestamps=1&details=1&follow=1&tail=3"), logQueries);
    assertThrows(
        FunctionNotFoundException.class,
        () -> functions.followLogs("nothing", -1, null, null).close());
  }
}
