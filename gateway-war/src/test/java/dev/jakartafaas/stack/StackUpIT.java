package dev.jakartafaas.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Poll;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The quick start as a user runs it: {@code stack/up.sh}, then every sample function over HTTP,
 * then SIGTERM; afterwards no process it started may be left.
 */
class StackUpIT {

  private static void awaitReady(UpSh up, String function) throws Exception {
    Poll.until(
        Duration.ofSeconds(90),
        function + " gets ready",
        () ->
            up.call("GET", "/system/function/" + function, null)
                .body()
                .contains("\"availableReplicas\":1"));
  }

  @Test
  void upShStartsThePlatformServesTheSamplesAndStopsEverything() throws Exception {
    try (UpSh up = new UpSh()) {
      String out = up.output();
      assertTrue(out.contains(up.base + "/ui/"), out);
      assertTrue(out.contains(up.base + "/system/functions"), out);
      assertTrue(!out.contains("FAILED"), out);

      // the management API asks for the credentials up.sh generated, kept private and unprinted
      HttpResponse<String> anonymous =
          up.http.send(
              HttpRequest.newBuilder(URI.create(up.base + "/system/functions")).build(),
              BodyHandlers.ofString());
      assertEquals(401, anonymous.statusCode(), anonymous.body());
      assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent());
      assertEquals(
          Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(up.data.resolve("basic-auth-password")));
      assertTrue(out.contains("basic-auth-password"), out);
      assertFalse(out.contains(up.password()), "the password is not printed");

      HttpResponse<String> echo =
          up.call("POST", "/function/echoit", "Hello, Function as a Service");
      assertEquals(200, echo.statusCode(), echo.body());
      assertEquals("Hello, Function as a Service", echo.body());

      String counts = up.call("POST", "/function/wordcount", "one two three\nfour\n").body().trim();
      assertEquals(List.of("2", "4", "19"), List.of(counts.split("\\s+")), counts);

      assertEquals(
          "aGVsbG8gd29ybGQ=", up.call("POST", "/function/base64", "hello world").body().trim());
      assertEquals(
          "hello world", up.call("POST", "/function/decodebase64", "aGVsbG8gd29ybGQ=").body());

      String node = up.call("GET", "/function/nodeinfo", null).body();
      for (String field : List.of("Hostname:", "OS:", "CPUs:", "Memory:", "Uptime:")) {
        assertTrue(node.contains(field), node);
      }

      HttpResponse<String> stash = up.call("POST", "/function/webhookstash", "keep this");
      assertEquals(200, stash.statusCode(), stash.body());
      Path stashed = up.data.resolve("webhookstash").resolve(stash.body().trim());
      assertEquals("keep this", Files.readString(stashed));

      if (Files.exists(UpSh.ROOT.resolve("stack/functions/markdown/Markdown.java"))) {
        awaitReady(up, "markdown");
        HttpResponse<String> html =
            up.call("POST", "/function/markdown", "# Title\n\nSome *text*.\n");
        assertEquals(200, html.statusCode(), html.body());
        assertTrue(html.body().contains("<h1>Title</h1>"), html.body());
      }

      String list = up.call("GET", "/system/functions", null).body();
      for (String name :
          List.of(
              "echoit",
              "wordcount",
              "base64",
              "decodebase64",
              "nodeinfo",
              "webhookstash",
              "markdown")) {
        assertTrue(list.contains("\"name\":\"" + name + "\""), name + " missing: " + list);
      }
      assertEquals(302, up.call("GET", "/", null).statusCode());
      assertTrue(!up.leftovers().isEmpty(), "replicas run while the platform is up");

      assertTrue(up.stop(), "up.sh did not stop on SIGTERM:\n" + up.output());
      assertTrue(up.output().contains("Stopped."), up.output());
      Poll.until(
          Duration.ofSeconds(10),
          () ->
              "left running: "
                  + up.started().stream().filter(ProcessHandle::isAlive).toList()
                  + up.leftovers(),
          () ->
              up.started().stream().noneMatch(ProcessHandle::isAlive) && up.leftovers().isEmpty());
    }
  }
}
