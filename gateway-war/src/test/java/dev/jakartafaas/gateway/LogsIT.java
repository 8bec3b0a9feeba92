package dev.jakartafaas.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.GatewayRoot;
import dev.jakartafaas.testing.Poll;
import dev.jakartafaas.ui.BrowserScripts;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /system/logs} on the gateway WAR as built, on Payara Micro with the process backend and
 * real replicas, asked as faas-cli 0.16 asks ({@code name}, {@code follow}, {@code tail=-1} or
 * {@code --lines}, {@code since} in RFC 3339 seconds with the client's offset): followers get new
 * lines as they come, end when the function is removed, and when they go away leave neither a
 * follower nor a thread behind. The portal's log tab follows too (headless chromium).
 */
@ExtendWith(ArquillianExtension.class)
class LogsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String END = "\u0000end";

  @Deployment(testable = false)
  static WebArchive gateway() {
    return ShrinkWrap.create(WebArchive.class, "ROOT.war")
        .merge(
            ShrinkWrap.createFromZipFile(
                WebArchive.class, new File(System.getProperty("gateway.war"))));
  }

  @ArquillianResource URL base;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private String root() throws InterruptedException {
    return GatewayRoot.of(getClass(), base, http);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(root() + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null);
  }

  /** A function that logs a line for every call ({@code write_debug}), with its path in it. */
  private void deploy(String name) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/system/functions",
            "{\"service\":\""
                + name
                + "\",\"envProcess\":\"cat\",\"envVars\":{\"write_debug\":\"true\"}}");
    assertEquals(202, r.statusCode(), r.body());
    Poll.untilTrue(
        WAIT,
        name + " ready",
        () -> {
          try {
            HttpResponse<String> f = get("/system/function/" + name);
            return f.statusCode() == 200 && json(f.body()).getInt("availableReplicas") == 1;
          } catch (Exception e) {
            return false;
          }
        });
  }

  private void delete(String name) throws Exception {
    send("DELETE", "/system/functions", "{\"functionName\":\"" + name + "\"}");
  }

  private void call(String name, String path) throws Exception {
    assertEquals(200, send("POST", "/function/" + name + "/" + path, "x").statusCode());
  }

  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  /** faas-cli's {@code since}: RFC 3339 in whole seconds with an offset, query-encoded. */
  private static String since(OffsetDateTime t) {
    return URLEncoder.encode(
        t.truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
        StandardCharsets.UTF_8);
  }

  /** An open follow: its lines (heartbeats left out) in a queue, {@link #END} when it ends. */
  private final class Follower implements AutoCloseable {
    final HttpResponse<InputStream> response;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Follower(String query) throws Exception {
      response =
          http.sendAsync(
                  HttpRequest.newBuilder(URI.create(root() + "/system/logs?" + query)).build(),
                  BodyHandlers.ofInputStream())
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (!l.isEmpty()) {
                      lines.add(l);
                    }
                  }
                } catch (Exception e) {
                  // closed by the test
                }
                lines.add(END);
              });
      reader.setDaemon(true);
      reader.start();
    }

    /** The next line's text, waiting for it; {@link #END} when the stream ended. */
    String next() throws InterruptedException {
      String l = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(l != null, "no line within " + WAIT);
      return l.equals(END) ? END : json(l).getString("text");
    }

    /** Texts until one contains {@code marker}; fails if the stream ends first. */
    List<String> until(String marker) throws InterruptedException {
      List<String> seen = new ArrayList<>();
      while (true) {
        String t = next();
        assertTrue(!t.equals(END), "stream ended before '" + marker + "': " + seen);
        seen.add(t);
        if (t.contains(marker)) {
          return seen;
        }
      }
    }

    @Override
    public void close() throws Exception {
      response.body().close();
    }
  }

  /** A Prometheus sample of the gateway's {@code /metrics}. */
  private long metric(String scope, String name) throws Exception {
    String text = get("/metrics?scope=" + scope).body();
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+]+)$").matcher(text);
    assertTrue(m.find(), name + " not in /metrics?scope=" + scope);
    return (long) Double.parseDouble(m.group(2));
  }

  private long followers() throws Exception {
    return metric("application", "gateway_log_followers");
  }

  private long threads() throws Exception {
    return metric("base", "thread_count");
  }

  @Test
  void aFollowerGetsTheKeptLinesThenNewOnesAsTheyComeUntilTheFunctionIsRemoved() throws Exception {
    String name = "it-follow";
    deploy(name);
    try {
      call(name, "before-follow");
      try (Follower f = new Follower("name=" + name + "&follow=true&tail=-1")) {
        assertEquals(200, f.response.statusCode());
        assertTrue(
            f.response
                .headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("application/x-ndjson"),
            f.response.headers().toString());
        List<String> kept = f.until("before-follow");
        assertTrue(kept.stream().anyMatch(t -> t.startsWith("faas: ")), kept.toString());
        for (int i = 1; i <= 3; i++) {
          call(name, "while-following-" + i);
          f.until("while-following-" + i);
        }
        delete(name);
        String t;
        do {
          t = f.next();
        } while (!t.equals(END));
      }
    } finally {
      delete(name);
    }
    Poll.untilTrue(WAIT, "no follower left", () -> followersOrMinusOne() == 0);
  }

  private long followersOrMinusOne() {
    try {
      return followers();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void tailAndSinceAreReadAsFaasCliSendsThem() throws Exception {
    String name = "it-follow-query";
    deploy(name);
    try {
      call(name, "query-1");
      call(name, "query-2");
      call(name, "query-3");
      Poll.untilTrue(
          WAIT,
          "three calls logged",
          () -> {
            try {
              return get("/system/logs?name=" + name).body().contains("/query-3");
            } catch (Exception e) {
              return false;
            }
          });
      // faas-cli logs NAME --tail=false: follow=false&tail=-1, every kept line
      String all = get("/system/logs?name=" + name + "&follow=false&tail=-1").body();
      assertTrue(all.contains("/query-1") && all.contains("/query-3"), all);
      assertTrue(all.lines().count() >= 4, all);
      // --lines=2: the newest two
      List<String> two =
          get("/system/logs?name=" + name + "&follow=false&tail=2").body().lines().toList();
      assertEquals(2, two.size(), two.toString());
      assertTrue(json(two.get(1)).getString("text").contains("/query-3"), two.toString());
      // --since 1h (an hour before now, at the client's offset) keeps all; a time ahead none
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(1));
      assertEquals(
          all,
          get("/system/logs?name="
                  + name
                  + "&follow=false&tail=-1&since="
                  + since(now.minusHours(1)))
              .body());
      assertEquals(
          "",
          get("/system/logs?name=" + name + "&follow=false&since=" + since(now.plusHours(1)))
              .body());
      // followed with --lines=1: the newest kept line, then what comes
      try (Follower f =
          new Follower("name=" + name + "&namespace=openfaas-fn&follow=true&tail=1")) {
        assertTrue(f.next().contains("/query-3"));
        call(name, "query-4");
        f.until("/query-4");
      }
      // followed with a since ahead: nothing kept, only what comes
      try (Follower f =
          new Follower(
              "name="
                  + name
                  + "&follow=true&since="
                  + since(OffsetDateTime.now().plusSeconds(1)))) {
        Thread.sleep(2_000);
        call(name, "query-5");
        List<String> seen = f.until("/query-5");
        assertTrue(
            seen.subList(0, seen.size() - 1).stream().noneMatch(t -> t.contains("/query-")),
            "kept lines before the since: " + seen);
      }
      assertEquals(405, send("POST", "/system/logs?name=" + name, "").statusCode());
      assertEquals(400, get("/system/logs?name=" + name + "&follow=sometimes").statusCode());
      assertEquals(404, get("/system/logs?name=it-absent&follow=true").statusCode());
    } finally {
      delete(name);
    }
  }

  @Test
  void hundredFollowersThatGoAwayLeaveNoFollowerAndNoThreadBehind() throws Exception {
    String name = "it-follow-many";
    deploy(name);
    try {
      try (Follower warmUp = new Follower("name=" + name + "&follow=true")) {
        call(name, "warm-up");
        warmUp.until("warm-up");
      }
      Poll.untilTrue(WAIT, "warm-up follower let go", () -> followersOrMinusOne() == 0);
      long before = threads();
      List<Follower> open = new ArrayList<>();
      try {
        // one after another: opened all at once, they would make the container's worker pool grow
        // (and keep its threads until they idle out), which says nothing about the followers
        for (int i = 0; i < 100; i++) {
          open.add(new Follower("name=" + name + "&follow=true&tail=1"));
        }
        assertEquals(100, followers());
        call(name, "to-all");
        for (Follower f : open) {
          f.until("to-all");
        }
        long during = threads();
        System.out.printf(
            "LogsIT: gateway threads %d before, %d with 100 followers%n", before, during);
        assertTrue(during - before < 20, "followers hold threads: " + before + " -> " + during);
      } finally {
        for (Follower f : open) {
          f.close();
        }
      }
      long dropped = System.nanoTime();
      Poll.untilTrue(WAIT, "every follower let go", () -> followersOrMinusOne() == 0);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - dropped);
      Poll.untilTrue(
          WAIT,
          "threads back to where they were",
          () -> {
            try {
              return threads() <= before + 5;
            } catch (Exception e) {
              return false;
            }
          });
      System.out.printf(
          "LogsIT: all 100 followers let go %d s after they went away; threads %d after%n",
          seconds, threads());
    } finally {
      delete(name);
    }
  }

  @Test
  void thePortalsLogTabFollowsTheLog() throws Exception {
    String name = "it-follow-portal";
    deploy(name);
    try {
      BrowserScripts.Result r =
          BrowserScripts.node("portal.logs.test.mjs", List.of(root(), name), Map.of(), 5);
      System.out.println("Portal log tab checks:\n" + r.output());
      assertEquals(0, r.exit(), r.output());
      assertTrue(r.output().contains("3 passed, 0 failed"), r.output());
    } finally {
      delete(name);
    }
    Poll.untilTrue(WAIT, "the portal's follower let go", () -> followersOrMinusOne() == 0);
  }
}
