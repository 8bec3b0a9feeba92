package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.testing.Needs;
import dev.jakartafaas.testing.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replica limits through real cgroups with real watchdog replicas: runs where the cgroup files are
 * writable (root, as in CI), is skipped elsewhere.
 */
class ProcessLimitsIT {

  private static final Path WATCHDOG = Path.of(System.getProperty("watchdog.jar", "missing"));
  private static final Path BOMB =
      Path.of(System.getProperty("functions.dir", "../gateway-war/src/test/functions"))
          .resolve("forkbomb.sh")
          .toAbsolutePath()
          .normalize();
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final ThreadFactory DAEMONS =
      r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
      };

  @TempDir Path data;
  private final HttpClient http = HttpClient.newHttpClient();
  private ProcessFunctions functions;

  @AfterEach
  void close() {
    if (functions != null) {
      functions.close();
    }
  }

  private ProcessFunctions start(LimitSettings limits) {
    ProcessSettings settings =
        new ProcessSettings(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-Xmx32m"),
            WATCHDOG,
            "setsid",
            Path.of("."),
            data,
            List.of("PATH", "HOME", "LANG", "TZ"),
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            500,
            limits);
    functions = new ProcessFunctions(settings, System.getenv(), DAEMONS, a -> {});
    functions.start();
    Needs.that(
        functions.limitsStatus().startsWith("enforced"),
        "cgroups are not writable here (run as root): " + functions.limitsStatus());
    return functions;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.untilTrue(WAIT, what, condition);
  }

  private HttpResponse<String> call(ReplicaAddress a, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + a.host() + ":" + a.port() + "/"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private ReplicaAddress readyReplica(String name) throws InterruptedException {
    await(name + " ready", () -> functions.readyReplicas(name).orElseThrow().size() == 1);
    return functions.readyReplicas(name).orElseThrow().get(0);
  }

  private static long number(Path file) {
    return ReplicaCgroups.number(file).orElse(-1);
  }

  @Test
  void aForkBombIsHeldAtThePidsLimitKilledAtItsTimeoutAndItsCgroupsRemoved() throws Exception {
    ProcessFunctions f = start(new LimitSettings(true, 24, "", ""));
    f.deploy(
        FunctionDeployment.of("bomb", "bash " + BOMB).withEnvVars(Map.of("exec_timeout", "2s")), 1);
    ReplicaAddress bomb = readyReplica("bomb");
    Path pids = f.pidsDirectories("bomb").get(0);
    assertEquals(24, number(pids.resolve("pids.max")));
    assertEquals(0, number(pids.resolve("pids.current")), "the watchdog's threads do not count");

    CompletableFuture<HttpResponse<String>> answer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return call(bomb, "");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await("the bomb fills its pids limit", () -> number(pids.resolve("pids.peak")) == 24);
    HttpResponse<String> r = answer.get();
    assertEquals(504, r.statusCode(), r.body());
    assertFalse(r.body().isEmpty());
    await("every process of the bomb gone", () -> number(pids.resolve("pids.current")) == 0);
    assertTrue(number(pids.resolve("pids.peak")) <= 24);

    // the replica itself still answers once the bomb is gone
    assertEquals(504, call(bomb, "").statusCode());
    Path replicaDir = pids.getParent();
    f.remove("bomb");
    await("the replica's cgroups removed", () -> !Files.exists(replicaDir));
  }

  @Test
  void theWatchdogMovesEachFunctionProcessIntoTheFunctionCgroupAndLeavesFprocessAsDeployed()
      throws Exception {
    ProcessFunctions f = start(new LimitSettings(true, 32, "", ""));
    // cat ignores its input and prints its own cgroups, then the environment's fprocess
    f.deploy(FunctionDeployment.of("where", "cat /proc/self/cgroup /proc/self/environ"), 1);
    ReplicaAddress a = readyReplica("where");
    Path function = f.pidsDirectories("where").get(0);
    String own = function.toString();

    for (int i = 0; i < 3; i++) {
      String body = call(a, "").body();
      String pidsLine =
          body.lines()
              .filter(l -> l.matches("\\d+:pids:.*") || l.startsWith("0::"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(body));
      String path = pidsLine.substring(pidsLine.indexOf(':', pidsLine.indexOf(':') + 1) + 1);
      assertTrue(own.endsWith(path), "the call ran in " + path + ", not in " + own);
      assertTrue(
          body.contains("fprocess=cat /proc/self/cgroup /proc/self/environ\0"),
          "fprocess as deployed: " + body);
    }
    f.remove("where");
  }

  @Test
  void cpuAndMemoryLimitsAreWrittenAndEveryDirectoryIsGoneAfterClose() throws Exception {
    ProcessFunctions f = start(new LimitSettings(true, 64, "", "0.25"));
    f.deploy(
        new FunctionDeployment(
            "small",
            "",
            "cat",
            null,
            null,
            null,
            null,
            null,
            new dev.jakartafaas.functions.entity.Resources("96m", null),
            null,
            false),
        1);
    ReplicaAddress a = readyReplica("small");
    assertEquals("hello", call(a, "hello").body());
    Path replica = f.pidsDirectories("small").get(0).getParent();
    String instance = replica.getFileName().toString();
    Path gateway = replica.getParent();
    Path cpu =
        Path.of("/sys/fs/cgroup/cpu")
            .resolve(replica.getParent().getParent().getFileName())
            .resolve(gateway.getFileName())
            .resolve(instance);
    if (Files.exists(Path.of("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"))) {
      assertEquals(25000, number(cpu.resolve("cpu.cfs_quota_us")));
    }
    assertEquals(64, number(replica.resolve("function/pids.max")));
    assertEquals(64 + ReplicaLimits.WATCHDOG_PIDS, number(replica.resolve("pids.max")));
    f.close();
    assertFalse(Files.exists(gateway), gateway + " left behind");
  }
}
