package dev.jakartafaas.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Needs;
import dev.jakartafaas.testing.ProcFs;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Replica limits through cgroups (the process backend on cgroup v1 here; docs/reliability.md): a
 * fork bomb held at its pids limit, a CPU quota that throttles.
 */
abstract class LimitsChecks extends GatewayChecks {

  static final java.nio.file.Path PIDS = java.nio.file.Path.of("/sys/fs/cgroup/pids");
  static final java.nio.file.Path CPUACCT = java.nio.file.Path.of("/sys/fs/cgroup/cpuacct");

  /**
   * Goes on where cgroup v1's pids hierarchy is writable (root), as on this project's machines,
   * where the backend uses it; skips elsewhere, fails under CI.
   */
  static void assumeCgroupsWritable() {
    Needs.that(
        java.nio.file.Files.isWritable(PIDS.resolve("cgroup.procs")),
        "cgroups are not writable here (not root, or no cgroup v1 pids hierarchy): the process"
            + " backend runs replicas without process, CPU and memory limits");
  }

  /** The cgroup directories of a function's replicas below {@code <hierarchy>/jakartafaas}. */
  static List<java.nio.file.Path> replicaCgroups(java.nio.file.Path hierarchy, String name) {
    // the platform removes these directories while the test looks: ProcFs tolerates that
    return ProcFs.directories(
        hierarchy.resolve("jakartafaas"),
        2,
        d -> d.getFileName().toString().matches(Pattern.quote(name) + "-\\d+"));
  }

  static long cgroupNumber(java.nio.file.Path file) {
    try {
      return Long.parseLong(java.nio.file.Files.readString(file).trim());
    } catch (Exception e) {
      return -1;
    }
  }

  /** How many processes (not threads) are directly in a cgroup. */
  static long processesIn(java.nio.file.Path cgroup) {
    try {
      return java.nio.file.Files.readAllLines(cgroup.resolve("cgroup.procs")).stream()
          .filter(l -> !l.isBlank())
          .count();
    } catch (Exception e) {
      return 0;
    }
  }

  static long percentile(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  static String latencies(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    return String.format(
        java.util.Locale.ROOT,
        "%d calls, p50 %.2f ms, p99 %.2f ms",
        sorted.size(),
        percentile(sorted, 0.50) / 1e6,
        percentile(sorted, 0.99) / 1e6);
  }

  @Test
  void aForkBombIsHeldAtItsPidsLimitAndKilledWhileAnotherFunctionKeepsAnswering() throws Exception {
    assumeCgroupsWritable();
    String bomb = "it-bomb";
    String other = "it-bomb-bystander";
    String marker = "it-bomb-" + System.nanoTime();
    deployAndAwait(other, "cat", 1);
    deploy(
        bomb,
        "bash gateway-war/src/test/functions/forkbomb.sh",
        "{\"exec_timeout\":\"3s\",\"marker\":\"" + marker + "\"}");
    try {
      await(bomb + " is ready", () -> available(bomb) == 1);
      List<java.nio.file.Path> dirs = replicaCgroups(PIDS, bomb);
      assertEquals(1, dirs.size(), "one cgroup for the one replica: " + dirs);
      java.nio.file.Path fn = dirs.get(0).resolve("function");
      long max = cgroupNumber(fn.resolve("pids.max"));
      assertTrue(max > 0, "pids.max of " + fn);
      assertEquals(0, cgroupNumber(fn.resolve("pids.current")), "no function process yet");
      long backstop = cgroupNumber(dirs.get(0).resolve("pids.max"));
      assertTrue(backstop > max, "the whole replica has a finite pids.max above the function's");
      long watchdogTasks = cgroupNumber(dirs.get(0).resolve("pids.current"));

      List<Long> before = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = send("POST", "/function/" + other, "ping-" + i);
        before.add(System.nanoTime() - t0);
        assertEquals(200, r.statusCode(), r.body());
      }

      CompletableFuture<HttpResponse<String>> bombCall =
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(root() + "/function/" + bomb))
                  .timeout(Duration.ofSeconds(60))
                  .POST(BodyPublishers.ofString("boom"))
                  .build(),
              BodyHandlers.ofString());
      await(
          Duration.ofSeconds(20),
          "the bomb reaches its pids limit of " + max,
          () -> bombCall.isDone() || cgroupNumber(fn.resolve("pids.current")) >= max);
      List<Long> during = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      long highest = 0;
      // the watchdog JVM's own cgroup: a function process that forked before the watchdog moved
      // it into "function" would leave its children there (v2 keeps the JVM in a "watchdog" leaf)
      java.nio.file.Path own =
          java.nio.file.Files.isDirectory(dirs.get(0).resolve("watchdog"))
              ? dirs.get(0).resolve("watchdog")
              : dirs.get(0);
      long escaped = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!bombCall.isDone() && System.nanoTime() < deadline) {
        highest = Math.max(highest, cgroupNumber(fn.resolve("pids.current")));
        escaped = Math.max(escaped, processesIn(own) - 1);
        long t0 = System.nanoTime();
        HttpResponse<String> r = send("POST", "/function/" + other, "ping");
        during.add(System.nanoTime() - t0);
        if (r.statusCode() != 200 || !r.body().equals("ping")) {
          errors.add(r.statusCode() + " " + r.body());
        }
      }
      HttpResponse<String> answer = bombCall.get(30, TimeUnit.SECONDS);
      long peak = cgroupNumber(fn.resolve("pids.peak"));
      System.out.println(
          "fork bomb: pids.max "
              + max
              + ", pids.peak "
              + peak
              + ", answered "
              + answer.statusCode()
              + "; the other function before: "
              + latencies(before)
              + "; during: "
              + (during.isEmpty() ? "no calls" : latencies(during))
              + ", "
              + errors.size()
              + " errors; most processes besides the watchdog in its own cgroup: "
              + escaped);
      assertEquals(List.of(), errors, "the other function failed during the bomb");
      assertTrue(during.size() > 0, "the other function was called during the bomb");
      assertTrue(
          answer.statusCode() == 504 || answer.statusCode() == 502,
          answer.statusCode() + " " + answer.body());
      assertFalse(answer.body().isBlank(), "an error with a message, never an empty answer");
      assertEquals(max, peak, "pids.peak: the bomb filled its limit and never went over it");
      assertTrue(highest <= max, "pids.current " + highest + " over " + max);
      await("the bomb's cgroup is empty", () -> cgroupNumber(fn.resolve("pids.current")) == 0);
      // the replica (a JVM) has the marker too; the bomb's processes are bash running the script
      await(
          "no process of the bomb is left",
          () ->
              ProcessHandle.allProcesses()
                  .noneMatch(
                      p ->
                          p.info().commandLine().orElse("").contains("forkbomb.sh")
                              && environ(p).contains(marker)));
      // the replica's own tasks (the watchdog's threads) are all that is left in its cgroup
      long after = cgroupNumber(dirs.get(0).resolve("pids.current"));
      System.out.println(
          "fork bomb replica: " + watchdogTasks + " watchdog tasks before, " + after + " after");
      assertTrue(after > 0 && after < max, "the watchdog's " + after + " tasks");
      assertEquals(200, send("POST", "/function/" + other, "x").statusCode());
    } finally {
      delete(bomb);
      delete(other);
    }
    await(
        "the bomb's cgroups are removed",
        () -> replicaCgroups(PIDS, bomb).isEmpty() && replicaCgroups(PIDS, other).isEmpty());
  }

  @Test
  void aFunctionLimitedToAQuarterCpuIsThrottledToItsQuota() throws Exception {
    assumeCgroupsWritable();
    Needs.that(
        java.nio.file.Files.isDirectory(CPUACCT.resolve("jakartafaas")),
        "no cgroup v1 cpuacct hierarchy in use");
    String name = "it-busy";
    HttpResponse<String> d =
        send(
            "POST",
            "/system/functions",
            "{\"service\":\""
                + name
                + "\",\"envProcess\":\"bash gateway-war/src/test/functions/busy.sh\","
                + "\"envVars\":{\"BUSY_SECONDS\":\"2\"},\"limits\":{\"cpu\":\"0.25\"}}");
    assertEquals(202, d.statusCode(), d.body());
    try {
      await(name + " is ready", () -> available(name) == 1);
      java.nio.file.Path cpu = replicaCgroups(PIDS.resolveSibling("cpu"), name).get(0);
      assertEquals(25000, cgroupNumber(cpu.resolve("cpu.cfs_quota_us")));
      assertEquals(100000, cgroupNumber(cpu.resolve("cpu.cfs_period_us")));
      java.nio.file.Path usage = replicaCgroups(CPUACCT, name).get(0).resolve("cpuacct.usage");
      long used0 = cgroupNumber(usage);
      long t0 = System.nanoTime();
      HttpResponse<String> r = send("POST", "/function/" + name, "");
      long wall = System.nanoTime() - t0;
      long used = cgroupNumber(usage) - used0;
      assertEquals(200, r.statusCode(), r.body());
      String stat = java.nio.file.Files.readString(cpu.resolve("cpu.stat"));
      System.out.printf(
          java.util.Locale.ROOT,
          "cpu limit 0.25: %.2f s of CPU in %.2f s (%.2f cores); %s%n",
          used / 1e9,
          wall / 1e9,
          (double) used / wall,
          stat.replace('\n', ' '));
      // the busy loop alone would take a whole core; the quota holds the replica near a quarter
      assertTrue((double) used / wall < 0.45, used + " ns of CPU in " + wall + " ns");
      Matcher throttled = Pattern.compile("nr_throttled (\\d+)").matcher(stat);
      assertTrue(throttled.find() && Long.parseLong(throttled.group(1)) > 0, stat);
    } finally {
      delete(name);
    }
  }
}
