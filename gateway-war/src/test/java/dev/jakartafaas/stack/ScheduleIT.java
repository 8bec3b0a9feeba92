package dev.jakartafaas.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Poll;
import dev.jakartafaas.testing.ProcFs;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The figures of scheduled functions on the platform as {@code stack/up.sh} starts it (real timers,
 * real replicas, a real restart): an every-2-seconds schedule fires on time, one run at a time,
 * stops with the delete and resumes after a restart; 20 every-second schedules keep the gateway's
 * threads bounded. Each figure is printed; the assertions are the bounds.
 */
class ScheduleIT {

  private static final String FIRING = "sh gateway-war/src/test/functions/firing.sh";

  private static String deployment(String name, String schedule, Path firings) {
    return "{\"service\":\""
        + name
        + "\",\"envProcess\":\""
        + FIRING
        + "\",\"envVars\":{\"FIRINGS\":\""
        + firings
        + "\"},\"annotations\":{\"topic\":\"cron-function\",\"schedule\":\""
        + schedule
        + "\"}}";
  }

  /** The start times (ns since the epoch) of the runs noted in the file, with their ends. */
  private static List<long[]> runs(Path file) throws Exception {
    List<long[]> runs = new ArrayList<>();
    if (!Files.exists(file)) {
      return runs;
    }
    for (String line : Files.readAllLines(file)) {
      String[] w = line.split(" ");
      if (w.length == 2 && w[0].equals("start")) {
        runs.add(new long[] {Long.parseLong(w[1]), 0});
      } else if (w.length == 2 && w[0].equals("end") && !runs.isEmpty()) {
        runs.get(runs.size() - 1)[1] = Long.parseLong(w[1]);
      }
    }
    return runs;
  }

  private static long nowNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Test
  void everyTwoSecondsFiresOnTimeOneAtATimeStopsAtDeleteAndResumesAfterARestart() throws Exception {
    UpSh up = new UpSh();
    try {
      String name = "sched-2s";
      Path firings = up.data.resolve("sched-2s.runs");
      long deployed = nowNanos();
      HttpResponse<String> r =
          up.call("POST", "/system/functions", deployment(name, "*/2 * * * * *", firings));
      assertEquals(202, r.statusCode(), r.body());
      Thread.sleep(20_000);
      List<long[]> window = runs(firings);
      long firstAfter = window.isEmpty() ? -1 : window.get(0)[0] - deployed;
      long within = window.stream().filter(w -> w[0] - deployed <= 20_000_000_000L).count();
      boolean oneAtATime = true;
      for (int i = 1; i < window.size(); i++) {
        oneAtATime &= window.get(i - 1)[1] != 0 && window.get(i)[0] >= window.get(i - 1)[1];
      }
      System.out.printf(
          Locale.ROOT,
          "schedule figure: */2 s schedule: %d runs in the 20 s after the deploy, first %.2f s"
              + " after it, one at a time: %s%n",
          within,
          firstAfter / 1e9,
          oneAtATime);
      assertTrue(within >= 9, within + " runs in 20 s");
      // the figure is 2 s; the first run waits for the first replica's JVM, which a busy
      // 2-core machine was seen to start in 3.5 s: the bound here is loose, the figure is printed
      assertTrue(firstAfter >= 0 && firstAfter <= 10_000_000_000L, "first run after " + firstAfter);
      assertTrue(oneAtATime, "no run began before the previous one ended");

      // restart: the stored deployment's schedule comes back with the gateway
      assertTrue(up.stop(), "up.sh stopped");
      long stopped = nowNanos();
      up = up.restart();
      long ready = readyAt(up.gatewayLog());
      Poll.until(
          Duration.ofSeconds(30),
          "a run after the restart",
          () -> runs(firings).stream().anyMatch(w -> w[0] > stopped));
      long firstAfterRestart =
          runs(firings).stream().mapToLong(w -> w[0]).filter(t -> t > stopped).min().orElseThrow();
      System.out.printf(
          Locale.ROOT,
          "schedule figure: after a restart the first run came %.2f s after Payara Micro said it"
              + " was ready (%.1f s after the old gateway had stopped)%n",
          (firstAfterRestart - ready) / 1e9,
          (firstAfterRestart - stopped) / 1e9);
      // the figure is 5 s (printed above); loose here for the same reason
      assertTrue(
          firstAfterRestart - ready <= 15_000_000_000L,
          "first run " + (firstAfterRestart - ready) / 1e9 + " s after the gateway was ready");
      assertTrue(
          up.gatewayLog().contains("schedule: " + name + " on \"*/2 * * * * *\""),
          "the restored schedule is logged");

      // delete: no further run
      r = up.call("DELETE", "/system/functions", "{\"functionName\":\"" + name + "\"}");
      assertEquals(202, r.statusCode(), r.body());
      long deleted = nowNanos();
      Thread.sleep(6_000);
      long after = runs(firings).stream().filter(w -> w[0] > deleted).count();
      System.out.printf(
          Locale.ROOT, "schedule figure: runs in the 6 s after the delete: %d%n", after);
      assertEquals(0, after, "runs after the delete");
    } finally {
      up.close();
    }
  }

  @Test
  void twentyEverySecondSchedulesKeepTheGatewaysThreadsBounded() throws Exception {
    try (UpSh up = new UpSh()) {
      ProcessHandle gateway = up.gateway();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String name = "sched-many-" + i;
        HttpResponse<String> r =
            up.call(
                "POST",
                "/system/functions",
                deployment(name, "* * * * * *", up.data.resolve(name + ".runs")));
        assertEquals(202, r.statusCode(), r.body());
        names.add(name);
      }
      Poll.until(
          Duration.ofSeconds(120),
          "every function ran once",
          () -> {
            for (String n : names) {
              if (runs(up.data.resolve(n + ".runs")).isEmpty()) {
                return false;
              }
            }
            return true;
          });
      // the baseline once the 20 functions and their replicas run: replicas bring threads of
      // their own (output readers, supervisors); the schedules must add none from here on
      Map<String, Integer> before = threads(gateway.pid());
      double skipped0 = sum(up, "gateway_schedule_skipped_total");
      long cpu0 = cpuTicks(gateway.pid());
      long t0 = System.nanoTime();
      int runs0 = totalRuns(up, names);
      int peak = 0;
      for (int s = 0; s < 15; s++) {
        Thread.sleep(1000);
        peak = Math.max(peak, threads(gateway.pid()).values().stream().mapToInt(x -> x).sum());
      }
      long cpu1 = cpuTicks(gateway.pid());
      double seconds = (System.nanoTime() - t0) / 1e9;
      int runs1 = totalRuns(up, names);
      double skipped = sum(up, "gateway_schedule_skipped_total") - skipped0;
      Map<String, Integer> after = threads(gateway.pid());
      double cpu = (cpu1 - cpu0) / 100.0 / seconds; // clock ticks of 10 ms
      int total0 = before.values().stream().mapToInt(x -> x).sum();
      int total1 = after.values().stream().mapToInt(x -> x).sum();
      System.out.printf(
          Locale.ROOT,
          "schedule figure: 20 every-second schedules: %d runs and %.0f skipped firings in %.1f s"
              + " (%.1f runs/s), gateway CPU %.0f %% of one core, threads %d at the start, %d at"
              + " the end, peak %d; timer/EJB threads %s -> %s%n",
          runs1 - runs0,
          skipped,
          seconds,
          (runs1 - runs0) / seconds,
          cpu * 100,
          total0,
          total1,
          peak,
          timerThreads(before),
          timerThreads(after));
      assertTrue(peak - total0 <= 10, "threads grew from " + total0 + " to a peak of " + peak);
      for (String n : names) {
        up.call("DELETE", "/system/functions", "{\"functionName\":\"" + n + "\"}");
      }
    }
  }

  /** The sum of a series over its labels on the gateway's /metrics. */
  private static double sum(UpSh up, String series) throws Exception {
    double total = 0;
    for (String line : up.call("GET", "/metrics?scope=application", null).body().split("\n")) {
      if (line.startsWith(series + "{")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim().split(" ")[0]);
      }
    }
    return total;
  }

  /** When Payara Micro said it was ready: the timestamp of its "ready in" log line (ns). */
  private static long readyAt(String log) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\[(\\d{4}-\\d\\d-\\d\\dT[0-9:.]+[+-]\\d{4})\\].*ready in")
            .matcher(log);
    if (!m.find()) {
      throw new AssertionError("no \"ready in\" line in the gateway's log");
    }
    java.time.Instant at =
        java.time.OffsetDateTime.parse(
                m.group(1),
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ"))
            .toInstant();
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  private static int totalRuns(UpSh up, List<String> names) throws Exception {
    int n = 0;
    for (String name : names) {
      n += runs(up.data.resolve(name + ".runs")).size();
    }
    return n;
  }

  /** The process's threads by name, digits removed ({@code __ejb-thread-pool3} -> ...-pool). */
  private static Map<String, Integer> threads(long pid) throws Exception {
    Map<String, Integer> byName = new TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        String comm = ProcFs.read(t.resolve("comm")).orElse("?").strip().replaceAll("[0-9]+", "");
        byName.merge(comm, 1, Integer::sum);
      }
    }
    return byName;
  }

  private static Map<String, Integer> timerThreads(Map<String, Integer> threads) {
    Map<String, Integer> timers = new TreeMap<>();
    threads.forEach(
        (k, v) -> {
          String l = k.toLowerCase(Locale.ROOT);
          if (l.contains("ejb")
              || l.contains("timer")
              || l.contains("concurren")
              || l.contains("managed")) {
            timers.put(k, v);
          }
        });
    return timers;
  }

  /** utime + stime of the process, in clock ticks. */
  private static long cpuTicks(long pid) {
    String stat = ProcFs.read(Path.of("/proc/" + pid + "/stat")).orElseThrow();
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
