package dev.jakartafaas.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Poll;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The seed's demonstration, automated: the platform as {@code stack/up.sh} starts it (default
 * autoscaler settings), a bounded load on {@code echoit} (min 1, max 20) scales it up, and once the
 * load stops it goes back to 1, while no request fails.
 */
class AutoscalingIT {

  private static final String BODY = "Hello, Function as a Service";
  private static final int WORKERS = 6;
  private static final Duration MAX_LOAD = Duration.ofSeconds(45);

  private final AtomicLong ok = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

  private static JsonObject status(UpSh up) throws Exception {
    HttpResponse<String> r = up.call("GET", "/system/function/echoit", null);
    assertEquals(200, r.statusCode(), r.body());
    return Json.createReader(new StringReader(r.body())).readObject();
  }

  /** The ready replicas now, kept in {@code peak[0]} when more than seen before. */
  private static int readyReplicas(UpSh up, int[] peak) throws Exception {
    int ready = status(up).getInt("availableReplicas");
    peak[0] = Math.max(peak[0], ready);
    return ready;
  }

  private void invoke(UpSh up) {
    try {
      HttpResponse<String> r =
          up.http.send(
              HttpRequest.newBuilder(URI.create(up.base + "/function/echoit"))
                  .timeout(Duration.ofSeconds(30))
                  .POST(BodyPublishers.ofString(BODY))
                  .build(),
              BodyHandlers.ofString());
      if (r.statusCode() == 200 && BODY.equals(r.body())) {
        ok.incrementAndGet();
      } else {
        failures.add(r.statusCode() + " " + r.body());
      }
    } catch (Exception e) {
      failures.add(e.toString());
    }
  }

  @Test
  void echoitScalesUpUnderLoadAndBackToOneWithoutFailedRequests() throws Exception {
    try (UpSh up = new UpSh()) {
      assertEquals(1, status(up).getInt("replicas"), "echoit starts at its min");

      // phase 1: sustained load, bounded in time and count, until echoit has more than 1 replica
      AtomicBoolean loading = new AtomicBoolean(true);
      long loadEnds = System.nanoTime() + MAX_LOAD.toNanos();
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < WORKERS; i++) {
        Thread t =
            new Thread(
                () -> {
                  for (int n = 0;
                      n < 100_000 && loading.get() && System.nanoTime() < loadEnds;
                      n++) {
                    invoke(up);
                  }
                },
                "load-" + i);
        t.start();
        workers.add(t);
      }
      int[] peak = {1};
      Duration scaledUpAfter;
      try {
        // more than 1 ready replica within 30 s (5 s above the threshold, then a replica JVM
        // that starts on two cores busy with the load), then 1 000 more calls while it scales
        scaledUpAfter =
            Poll.until(
                Duration.ofSeconds(30),
                () -> "echoit still has 1 replica 30 s into the load; " + ok + " calls answered",
                () -> readyReplicas(up, peak) > 1);
        long target = ok.get() + 1_000;
        Poll.until(
            Duration.ofSeconds(60),
            "1 000 more calls under load",
            () -> readyReplicas(up, peak) >= 0 && ok.get() >= target);
      } finally {
        loading.set(false);
        for (Thread t : workers) {
          t.join(Duration.ofSeconds(60).toMillis());
        }
      }
      long duringLoad = ok.get();
      assertTrue(failures.isEmpty(), failures.size() + " failed during the load: " + failures);

      // phase 2: a trickle of calls, one every fifth check (about 2 per second, under the 5/s
      // threshold), while it scales back down to 1, which must happen within 60 s
      int[] checks = {0};
      Duration backAfter =
          Poll.until(
              Duration.ofSeconds(60),
              () -> "echoit back to 1 replica within 60 s after the load",
              () -> {
                if (checks[0]++ % 5 == 0) {
                  invoke(up);
                }
                JsonObject s = status(up);
                return s.getInt("replicas") == 1 && s.getInt("availableReplicas") == 1;
              });
      assertTrue(failures.isEmpty(), failures.size() + " failed while scaling down: " + failures);
      assertTrue(peak[0] > 1, "peak " + peak[0]);
      System.out.printf(
          "seed scenario: >1 replica after %.1f s of load, peak %d ready replicas,"
              + " %d calls during the load, back to 1 replica %.1f s after it, %d calls, 0 failed%n",
          scaledUpAfter.toMillis() / 1e3,
          peak[0],
          duringLoad,
          backAfter.toMillis() / 1e3,
          ok.get());

      String metrics = up.call("GET", "/metrics?scope=application", null).body();
      for (String direction : List.of("up", "down")) {
        assertTrue(
            metrics
                .lines()
                .anyMatch(
                    l ->
                        l.startsWith("gateway_scaling_events_total{")
                            && l.contains("function_name=\"echoit\"")
                            && l.contains("direction=\"" + direction + "\"")),
            "scaling " + direction + " counted:\n" + metrics);
      }
    }
  }
}
