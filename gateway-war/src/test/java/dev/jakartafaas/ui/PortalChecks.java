package dev.jakartafaas.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.GatewayRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The portal as a browser gets it from the gateway WAR on Payara Micro (process backend): its
 * security headers, and the end-to-end checks of {@code src/test/ui/portal.test.mjs} run in
 * headless Debian chromium through playwright-core. Run as a {@code @Nested} class of {@code
 * GatewayIT}, on the gateway it deploys.
 */
public abstract class PortalChecks {

  private static final Path SHOTS =
      Path.of(System.getProperty("portal.screenshots", "target/ui-screenshots"));

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** The root of the gateway the concerns of {@code GatewayIT} share ({@link GatewayRoot}). */
  private String root() throws InterruptedException {
    return GatewayRoot.ofShared(http);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        BodyHandlers.ofString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ui",
        "/ui/",
        "/ui/index.html",
        "/ui/js/main.js",
        "/ui/portal.css",
        "/ui/nothing-here"
      })
  void uiResponsesForbidInlineScriptSniffingAndFraming(String path) throws Exception {
    HttpResponse<String> r = get(root() + path);
    String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'"), "CSP: " + csp);
    assertTrue(csp.contains("frame-ancestors 'none'"), "CSP: " + csp);
    assertTrue(csp.contains("default-src 'none'"), "CSP: " + csp);
    assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), "CSP: " + csp);
    assertEquals(Optional.of("nosniff"), r.headers().firstValue("X-Content-Type-Options"));
    assertEquals(Optional.of("DENY"), r.headers().firstValue("X-Frame-Options"));
  }

  @Test
  void uiWithoutSlashRedirectsToThePortal() throws Exception {
    HttpResponse<String> r = get(root() + "/ui");
    assertTrue(r.statusCode() == 301 || r.statusCode() == 302, "status " + r.statusCode());
    assertTrue(
        r.headers().firstValue("Location").orElse("").endsWith("/ui/"), r.headers().toString());
  }

  @Test
  void portalFilesAreServedWithTheirTypes() throws Exception {
    HttpResponse<String> page = get(root() + "/ui/");
    assertEquals(200, page.statusCode());
    assertTrue(
        page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
        page.headers().toString());
    HttpResponse<String> script = get(root() + "/ui/js/main.js");
    assertEquals(200, script.statusCode());
    assertTrue(
        script.headers().firstValue("Content-Type").orElse("").contains("javascript"),
        script.headers().toString());
    assertEquals(200, get(root() + "/ui/portal.css").statusCode());
  }

  @Test
  void pageHasNoInlineScriptNoEventHandlerAttributesAndNoExternalUrl() throws Exception {
    String html = get(root() + "/ui/").body();
    assertFalse(
        Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(html).find(),
        "inline script in the page");
    assertFalse(
        Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "event handler attribute in the page");
    assertFalse(html.contains("http://") || html.contains("https://"), "external URL in the page");
  }

  @Test
  void portalWorksEndToEndInHeadlessChromium() throws Exception {
    Files.createDirectories(SHOTS);
    long started = System.nanoTime();
    BrowserScripts.Result checks =
        BrowserScripts.node(
            "portal.test.mjs",
            List.of("--delete-all", root(), SHOTS.toAbsolutePath().toString()),
            Map.of(),
            10);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    Files.writeString(SHOTS.resolve("portal-test.log"), checks.output(), StandardCharsets.UTF_8);
    System.out.println("Portal browser checks (" + seconds + " s):\n" + checks.output());
    assertEquals(0, checks.exit(), "browser checks failed:\n" + checks.output());
    assertTrue(checks.output().contains(" passed, 0 failed"), checks.output());
    assertTrue(Files.size(SHOTS.resolve("portal-charts.png")) > 0, "no screenshot");
  }
}
