package dev.jakartafaas.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Poll;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authentication as a user meets it: the platform started by {@code stack/up.sh} (which turns it on
 * with a generated password). Every JAX-RS resource method found in the WAR's classes at run time,
 * and the other routes, refuse callers without the right credentials; only the documented open
 * routes answer; credentials and header values sent to functions leak nowhere.
 */
class SecurityIT {

  /** The routes that are open by default (docs/security.md). */
  private static final List<String> OPEN =
      List.of("/function/", "/async-function/", "/healthz", "/metrics");

  private static UpSh up;

  @BeforeAll
  static void start() throws Exception {
    // a short lockout, so the throttling case does not hold up the others
    up = new UpSh(Map.of("FAAS_AUTH_MAX_LOCKOUT", "2s"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (up != null) {
      up.close();
    }
  }

  /** Method and path of every JAX-RS resource method in the gateway's classes. */
  static List<String[]> resourceMethods() throws Exception {
    String root = "/" + applicationPath();
    List<String[]> found = new ArrayList<>();
    // the application lists its resources (most live in the EJB jar); none of the WAR's is left out
    java.util.Set<Class<?>> listed =
        new dev.jakartafaas.platform.boundary.GatewayApplication().getClasses();
    for (Class<?> c : gatewayClasses()) {
      if (c.isAnnotationPresent(Path.class)) {
        assertTrue(listed.contains(c), c + " is a resource GatewayApplication does not list");
      }
    }
    for (Class<?> c : listed) {
      Path classPath = c.getAnnotation(Path.class);
      if (classPath == null) {
        continue;
      }
      for (Method m : c.getDeclaredMethods()) {
        for (Annotation a : m.getAnnotations()) {
          HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
          if (http != null) {
            Path methodPath = m.getAnnotation(Path.class);
            String path =
                join(join(root, classPath.value()), methodPath == null ? "" : methodPath.value());
            found.add(new String[] {http.value(), path.replaceAll("\\{[^}]*}", "x-probe")});
          }
        }
      }
    }
    return found;
  }

  private static String join(String a, String b) {
    String left = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
    String right = b.startsWith("/") ? b.substring(1) : b;
    return right.isEmpty() ? left : left + "/" + right;
  }

  private static String applicationPath() throws Exception {
    for (Class<?> c : gatewayClasses()) {
      jakarta.ws.rs.ApplicationPath p = c.getAnnotation(jakarta.ws.rs.ApplicationPath.class);
      if (p != null) {
        return p.value().replaceAll("^/|/$", "");
      }
    }
    throw new AssertionError("no @ApplicationPath in the gateway's classes");
  }

  /** The classes of gateway-war's own output directory (not the test classes). */
  private static List<Class<?>> gatewayClasses() throws Exception {
    java.nio.file.Path classesRoot =
        java.nio.file.Path.of(
            dev.jakartafaas.platform.boundary.GatewayApplication.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    assertTrue(Files.isDirectory(classesRoot), "classes directory: " + classesRoot);
    List<Class<?>> classes = new ArrayList<>();
    try (var files = Files.walk(classesRoot)) {
      for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name =
            classesRoot.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        classes.add(Class.forName(name, false, SecurityIT.class.getClassLoader()));
      }
    }
    return classes;
  }

  private HttpResponse<String> request(
      String method, String path, String authorization, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(up.base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")
                    ? BodyPublishers.noBody()
                    : BodyPublishers.ofString("{}"));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return up.http.send(b.build(), BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static void assertRefused(HttpResponse<String> r, String what) {
    assertEquals(401, r.statusCode(), what + ": " + r.body());
    assertTrue(
        r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="), what);
  }

  @Test
  void everyRouteButTheOpenOnesRefusesMissingCredentials() throws Exception {
    List<String[]> methods = resourceMethods();
    assertTrue(methods.size() >= 10, "found only " + methods.size() + " resource methods");
    TreeSet<String> checked = new TreeSet<>();
    for (String[] m : methods) {
      String method = m[0];
      String path = m[1];
      assertRefused(request(method, path, null), method + " " + path);
      assertRefused(request("HEAD", path, null), "HEAD " + path);
      assertRefused(request("OPTIONS", path, null), "OPTIONS " + path);
      for (String override :
          List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
        assertRefused(
            request("POST", path, null, override, method), "POST+" + override + " " + path);
      }
      checked.add(method + " " + path);
    }
    for (String path :
        List.of(
            "/",
            "/ui/",
            "/ui/index.html",
            "/error",
            "/system",
            "/system/",
            "/nope",
            "/openapi",
            "/health",
            "/ui")) {
      assertRefused(request("GET", path, null), "GET " + path);
    }
    // the container normalises dot segments before the filter decides
    assertRefused(request("GET", "/function/%2e%2e/system/functions", null), "dot segments");
    System.out.println("refused without credentials: " + checked);

    // the open routes answer without credentials (404: no such function)
    assertEquals(200, request("GET", "/healthz", null).statusCode());
    assertEquals(200, request("GET", "/metrics?scope=application", null).statusCode());
    HttpResponse<String> fn = request("POST", "/function/x-probe", null);
    assertEquals(404, fn.statusCode(), fn.body());
    assertTrue(OPEN.stream().anyMatch("/function/x-probe"::startsWith));
  }

  @Test
  void wrongCredentialsAreRefusedThenSlowedDownAndRightOnesWork() throws Exception {
    String wrong = basic("admin", "wrong-marker-2f9c");
    List<Integer> statuses = new ArrayList<>();
    for (String[] m : resourceMethods()) {
      HttpResponse<String> r = request(m[0], m[1], wrong);
      statuses.add(r.statusCode());
      if (r.statusCode() == 429) {
        assertTrue(r.headers().firstValue("Retry-After").isPresent(), r.headers().toString());
      } else {
        assertRefused(r, "wrong credentials on " + m[0] + " " + m[1]);
      }
    }
    assertEquals(List.of(401, 401, 401, 401, 401), statuses.subList(0, 5), statuses.toString());
    assertEquals(429, statuses.get(5), "the sixth failure in a row is slowed down: " + statuses);
    assertEquals(
        Collections.frequency(statuses, 401) + Collections.frequency(statuses, 429),
        statuses.size(),
        statuses.toString());

    // after the (short) lockout the right credentials work again
    Poll.until(
        Duration.ofSeconds(30),
        "the right credentials are accepted after the lockout",
        () -> {
          int status = request("GET", "/system/functions", up.authorization()).statusCode();
          assertTrue(status == 200 || status == 429, "status " + status);
          return status == 200;
        });
    assertFalse(up.gatewayLog().contains("wrong-marker-2f9c"), "a tried password is never logged");
  }

  @Test
  void thePortalAsksForCredentialsAndWorksWithThemInChromium() throws Exception {
    dev.jakartafaas.ui.BrowserScripts.Result r =
        dev.jakartafaas.ui.BrowserScripts.node(
            "portal.auth.test.mjs",
            List.of(up.base, "echoit"),
            Map.of("PORTAL_USER", "admin", "PORTAL_PASSWORD", up.password()),
            5);
    System.out.println("portal with basic auth:\n" + r.output());
    assertEquals(0, r.exit(), r.output());
    assertEquals(4, r.output().lines().filter(l -> l.startsWith("ok - ")).count(), r.output());
  }

  @Test
  void credentialsAndHeadersSentToFunctionsLeakNowhere() throws Exception {
    String marker = "leak-marker-7c1e";
    String name = "leak-probe";
    HttpResponse<String> deployed =
        up.call(
            "POST", "/system/functions", "{\"service\":\"" + name + "\",\"envProcess\":\"cat\"}");
    assertEquals(202, deployed.statusCode(), deployed.body());
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      HttpResponse<String> r;
      do {
        r =
            request(
                "POST",
                "/function/" + name,
                basic("fn-user", marker),
                "X-Api-Key",
                marker,
                "Cookie",
                "session=" + marker);
        assertTrue(System.nanoTime() < deadline, "never ready: " + r.body());
      } while (r.statusCode() == 503);
      assertEquals(200, r.statusCode(), r.body());
      String everywhere =
          up.gatewayLog()
              + up.output()
              + up.call("GET", "/system/logs?name=" + name, null).body()
              + up.call("GET", "/system/functions", null).body()
              + up.call("GET", "/system/function/" + name, null).body()
              + up.call("GET", "/metrics", null).body()
              + up.call("GET", "/ui/", null).body();
      String encoded = basic("fn-user", marker).substring(6);
      assertFalse(everywhere.contains(marker), "the marker leaked");
      assertFalse(everywhere.contains(encoded), "the encoded Authorization value leaked");
      assertNotEquals(-1, everywhere.indexOf(name), "the probe itself is listed");
    } finally {
      up.call("DELETE", "/system/functions", "{\"functionName\":\"" + name + "\"}");
    }
  }
}
