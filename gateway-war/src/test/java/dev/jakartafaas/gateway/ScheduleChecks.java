package dev.jakartafaas.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Trees;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scheduled functions ({@code topic: cron-function}, {@code schedule}): bad schedules refused
 * naming field and token, the next run shown, runs and skipped firings counted, a run never
 * overlapping the previous one, and no firing after an update removed the schedule or a delete.
 */
abstract class ScheduleChecks extends GatewayChecks {

  static final String FIRING = "sh gateway-war/src/test/functions/firing.sh";

  HttpResponse<String> deployScheduled(
      String method, String name, String annotationsJson, String envVarsJson) throws Exception {
    return send(
        method,
        "/system/functions",
        "{\"service\":\""
            + name
            + "\",\"envProcess\":\""
            + FIRING
            + "\",\"envVars\":"
            + envVarsJson
            + ",\"annotations\":"
            + annotationsJson
            + "}");
  }

  static String cron(String schedule) {
    return "{\"topic\":\"cron-function\",\"schedule\":\"" + schedule + "\"}";
  }

  /** The runs a firing.sh function noted: pairs of start and end, in nanoseconds. */
  static List<long[]> runs(Path file) throws Exception {
    List<long[]> runs = new ArrayList<>();
    if (!Files.exists(file)) {
      return runs;
    }
    for (String line : Files.readAllLines(file)) {
      String[] w = line.split(" ");
      if (w[0].equals("start")) {
        runs.add(new long[] {Long.parseLong(w[1]), 0});
      } else if (w[0].equals("end") && !runs.isEmpty()) {
        runs.get(runs.size() - 1)[1] = Long.parseLong(w[1]);
      }
    }
    return runs;
  }

  @Test
  void aScheduleThatCannotBeParsedIs400NamingFieldAndTokenAndDeploysNothing() throws Exception {
    String name = "it-sched-bad";
    HttpResponse<String> r = deployScheduled("POST", name, cron("*/5 61 * * *"), "{}");
    assertProblem(r, 400);
    assertTrue(r.body().contains("annotations.schedule"), r.body());
    assertTrue(r.body().contains("token \"61\" in the hour field: 61 is outside 0-23"), r.body());
    assertEquals(404, get("/system/function/" + name).statusCode());

    r = deployScheduled("POST", name, "{\"topic\":\"cron-function\"}", "{}");
    assertProblem(r, 400);
    assertTrue(r.body().contains("annotations.schedule is required"), r.body());
    assertEquals(404, get("/system/function/" + name).statusCode());

    r = deployScheduled("POST", name, cron("* * * * * * *"), "{}");
    assertProblem(r, 400);
    assertTrue(r.body().contains("it has 7 fields"), r.body());
    assertEquals(404, get("/system/function/" + name).statusCode());
  }

  @Test
  void anUpdateWithABadScheduleIs400AndKeepsTheFunctionAsItWas() throws Exception {
    String name = "it-sched-upd-bad";
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), name);
    String env = "{\"FIRINGS\":\"" + dir.resolve("runs") + "\"}";
    try {
      assertEquals(202, deployScheduled("POST", name, cron("0 0 1 1 *"), env).statusCode());
      HttpResponse<String> r = deployScheduled("PUT", name, cron("0 0 1 1 mon-funday"), env);
      assertProblem(r, 400);
      assertTrue(r.body().contains("token \"mon-funday\" in the day-of-week field"), r.body());
      JsonObject status = json(get("/system/function/" + name).body());
      assertEquals("0 0 1 1 *", status.getJsonObject("annotations").getString("schedule"));
      assertTrue(status.containsKey("nextRun"), status.toString());
    } finally {
      delete(name);
      Trees.delete(dir);
    }
  }

  @Test
  void runsOnItsScheduleShowsTheNextRunAndCountsRuns() throws Exception {
    String name = "it-sched-runs";
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), name);
    Path file = dir.resolve("runs");
    try {
      HttpResponse<String> r =
          deployScheduled("POST", name, cron("* * * * * *"), "{\"FIRINGS\":\"" + file + "\"}");
      assertEquals(202, r.statusCode(), r.body());
      Instant next = Instant.parse(json(r.body()).getString("nextRun"));
      assertTrue(
          !next.isBefore(Instant.now().minusSeconds(1))
              && next.isBefore(Instant.now().plusSeconds(3)),
          "an every-second schedule runs next within a second or so: " + next);
      await(Duration.ofSeconds(60), name + " ran 3 times", () -> count(file) >= 3);
      JsonObject status = json(get("/system/function/" + name).body());
      assertTrue(status.containsKey("nextRun"), status.toString());
      assertTrue(
          status.getJsonObject("annotations").getString("schedule").equals("* * * * * *"),
          status.toString());
      boolean listed = false;
      for (var f :
          jakarta.json.Json.createReader(new java.io.StringReader(get("/system/functions").body()))
              .readArray()) {
        if (f.asJsonObject().getString("name").equals(name)) {
          listed = f.asJsonObject().containsKey("nextRun");
        }
      }
      assertTrue(listed, "the list shows nextRun too");
      await(
          Duration.ofSeconds(30),
          "gateway_schedule_runs_total counts " + name + "'s runs with code 200",
          () -> {
            Double runs = scheduleMetric("gateway_schedule_runs_total", name, "200");
            return runs != null && runs >= 3;
          });
      // a scheduled run is an invocation like any other
      Double invocations =
          metric(
              get("/metrics?scope=application").body(),
              "gateway_function_invocation_total",
              "function_name",
              name,
              "code",
              "200");
      assertTrue(invocations != null && invocations >= 3, "invocations " + invocations);

      // an update without the topic takes the schedule away
      r = deployScheduled("PUT", name, "{}", "{\"FIRINGS\":\"" + file + "\"}");
      assertEquals(202, r.statusCode(), r.body());
      assertFalse(json(r.body()).containsKey("nextRun"), r.body());
      assertFalse(json(get("/system/function/" + name).body()).containsKey("nextRun"));
      assertNull(scheduleMetric("gateway_schedule_runs_total", name, "200"));
      Thread.sleep(1500); // a run already under way may still end
      int before = count(file);
      Thread.sleep(3000);
      assertEquals(before, count(file), "no run after the schedule was removed");
    } finally {
      delete(name);
      Trees.delete(dir);
    }
  }

  @Test
  void aFiringWhileTheLastRunStillGoesIsSkippedAndCountedNeverPiledUp() throws Exception {
    String name = "it-sched-skip";
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), name);
    Path file = dir.resolve("runs");
    try {
      // every second, each run taking 2.5 s: two of every three firings find it still running
      HttpResponse<String> r =
          deployScheduled(
              "POST",
              name,
              cron("* * * * * *"),
              "{\"FIRINGS\":\"" + file + "\",\"PAUSE\":\"2.5\"}");
      assertEquals(202, r.statusCode(), r.body());
      await(
          Duration.ofSeconds(60),
          name + " skipped 2 firings",
          () -> {
            Double skipped = scheduleMetric("gateway_schedule_skipped_total", name, null);
            return skipped != null && skipped >= 2;
          });
      await(Duration.ofSeconds(60), name + " ran twice in full", () -> finished(file) >= 2);
      delete(name);
      Thread.sleep(3000); // the run under way at the delete ends (or fails)
      List<long[]> runs = runs(file);
      for (int i = 1; i < runs.size(); i++) {
        assertTrue(
            runs.get(i - 1)[1] != 0 && runs.get(i)[0] >= runs.get(i - 1)[1],
            "run " + i + " began after run " + (i - 1) + " ended");
      }
      int after = runs.size();
      Thread.sleep(2500);
      assertEquals(after, runs(file).size(), "no run after the delete");
      assertNull(scheduleMetric("gateway_schedule_skipped_total", name, null));
    } finally {
      delete(name);
      Trees.delete(dir);
    }
  }

  int count(Path file) {
    try {
      return runs(file).size();
    } catch (Exception e) {
      return 0;
    }
  }

  int finished(Path file) {
    try {
      return (int) runs(file).stream().filter(run -> run[1] != 0).count();
    } catch (Exception e) {
      return 0;
    }
  }

  Double scheduleMetric(String series, String name, String code) {
    try {
      String text = get("/metrics?scope=application").body();
      return code == null
          ? metric(text, series, "function_name", name)
          : metric(text, series, "function_name", name, "code", code);
    } catch (Exception e) {
      return null;
    }
  }
}
