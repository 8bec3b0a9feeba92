package dev.jakartafaas.ear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Poll;
import dev.jakartafaas.testing.ProcFs;
import dev.jakartafaas.testing.Trees;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The EAR on a full application server, the way an operator runs it: Payara Server (unpacked from
 * Maven Central by the build), a domain of the test's own on free ports, {@code asadmin deploy},
 * functions on the process backend, {@code asadmin undeploy}. Whatever happens, the domain is
 * stopped and deleted afterwards and no replica is left running.
 */
class PayaraServerIT {

  private static final String DOMAIN = "faas-it";
  private static final String APP = "faas";

  /** Every port a Payara Server 6 domain opens, as an offset from its {@code --portbase}. */
  private static final int[] PORT_OFFSETS = {9, 37, 38, 39, 48, 49, 59, 66, 76, 80, 81, 86};

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration ASADMIN = Duration.ofMinutes(3);

  private static final Path HOME = Path.of(System.getProperty("payara.home")).toAbsolutePath();
  private static final Path EAR = Path.of(System.getProperty("faas.ear")).toAbsolutePath();
  private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath();
  private static final Path WORK = HOME.resolveSibling("payara-it").normalize();
  private static final Path DOMAINS = WORK.resolve("domains");
  private static final Path DATA = WORK.resolve("data");

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private static int adminPort;
  private static String base;

  @BeforeAll
  static void startDomainAndDeployTheEar() throws Exception {
    tearDown(); // what a run killed half-way may have left
    Files.createDirectories(DATA);
    int portbase = freePortbase(Integer.parseInt(System.getProperty("payara.portbase", "27000")));
    adminPort = portbase + 48;
    base = "http://127.0.0.1:" + (portbase + 80);

    asadmin(
        "create-domain",
        "--domaindir",
        DOMAINS.toString(),
        "--portbase",
        "" + portbase,
        "--nopassword",
        DOMAIN);
    asadmin("start-domain", "--domaindir", DOMAINS.toString(), DOMAIN);
    // what config/payara-pre-boot.txt does for Payara Micro: bodies on DELETE and GET, hardening
    admin("multimode", "--file", ROOT.resolve("config/payara-server-settings.txt").toString());
    admin(
        "create-system-properties",
        String.join(
            ":",
            property("faas.process.watchdog-jar", System.getProperty("watchdog.jar")),
            property("faas.data-dir", DATA.toString()),
            property("faas.process.work-dir", DATA.toString()),
            property("faas.process.stop-timeout", "5s")));
    // every `set` on a listener restarts it, and after several it was seen not listening at all:
    // a restart of the domain starts it once with the final settings
    asadmin("restart-domain", "--domaindir", DOMAINS.toString(), DOMAIN);
    // the admin console's Monitor > Applications pages: EJB timers and servlet statistics
    admin("enable-monitoring", "--modules", "ejb-container=HIGH:web-container=HIGH");
    admin("deploy", "--name", APP, EAR.toString());
  }

  @AfterAll
  static void undeployAndDeleteTheDomain() throws Exception {
    tearDown();
  }

  @Test
  void earDeploysAnEjbModuleAndTheWebModuleAndTheGatewayAnswers() throws Exception {
    String modules = admin("list-sub-components", APP);
    assertTrue(modules.matches("(?s).*scaler-ejb\\.jar\\s+<EJBModule>.*"), modules);
    assertTrue(modules.matches("(?s).*gateway\\.war\\s+<WebModule>.*"), modules);

    assertEquals(200, get("/healthz").statusCode());
    HttpResponse<String> info = get("/system/info");
    assertEquals(200, info.statusCode(), info.body());
    assertTrue(info.body().contains("\"orchestration\":\"process\""), info.body());
    assertTrue(
        info.body().contains("\"release\":\"" + System.getProperty("project.version") + "\""),
        info.body());
  }

  @Test
  void deploysInvokesAndDeletesAFunctionOnTheProcessBackend() throws Exception {
    String name = "ear-rev";
    deploy(name, "rev", "{}");
    await(name + " has a ready replica", () -> available(name) == 1);
    assertFalse(replicasOf(name).isEmpty(), "a watchdog process runs for " + name);

    HttpResponse<String> answer = send("POST", "/function/" + name, "stressed");
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("desserts", answer.body().trim());

    // a body on DELETE: refused with an empty 400 unless the listener allows it
    HttpResponse<String> deleted =
        send("DELETE", "/system/functions", "{\"functionName\":\"" + name + "\"}");
    assertEquals(202, deleted.statusCode(), deleted.body());
    assertEquals(404, get("/system/function/" + name).statusCode());
    await("no replica of " + name + " runs", () -> replicasOf(name).isEmpty());
  }

  @Test
  void autoscalerTimerBringsAFunctionScaledAboveItsMaximumBackToIt() throws Exception {
    String name = "ear-max";
    deploy(name, "cat", "{\"com.openfaas.scale.max\":\"2\"}");
    try {
      HttpResponse<String> scaled =
          send(
              "POST",
              "/system/scale-function/" + name,
              "{\"serviceName\":\"" + name + "\",\"replicas\":4}");
      assertEquals(202, scaled.statusCode(), scaled.body());
      await(name + " is scaled back to 2", () -> desired(name) == 2);
      await(name + " has 2 ready replicas", () -> available(name) == 2);
      String metrics = get("/metrics?scope=application").body();
      assertTrue(
          sample(metrics, "gateway_scaling_events_total", name, "direction=\"down\"") >= 1,
          metrics);
    } finally {
      delete(name);
    }
  }

  @Test
  void metricsRouteExportsInvocationsAsTheHistogramTheEjbJarDefaultsConfigure() throws Exception {
    String name = "ear-echo";
    deploy(name, "cat", "{}");
    try {
      await(name + " has a ready replica", () -> available(name) == 1);
      HttpResponse<String> answer = send("POST", "/function/" + name, "counted");
      assertEquals("counted", answer.body());

      HttpResponse<String> metrics = get("/metrics?scope=application");
      assertEquals(200, metrics.statusCode());
      String text = metrics.body();
      assertEquals(
          1.0, sample(text, "gateway_function_invocation_total", name, "code=\"200\""), text);
      // buckets and no quantiles: mp.metrics.* from scaler-ejb's microprofile-config.properties
      // reach the web module's metrics
      assertEquals(
          1.0, sample(text, "gateway_functions_seconds_bucket", name, "le=\"10.0\""), text);
      assertTrue(sample(text, "gateway_functions_seconds_bucket", name, "le=\"0.005\"") >= 0, text);
      assertFalse(
          Pattern.compile("(?m)^gateway_functions_seconds\\{[^}]*quantile=").matcher(text).find(),
          text);
    } finally {
      delete(name);
    }
  }

  @Test
  void undeployStopsEveryReplicaAndARedeployRestoresTheStoredFunctions() throws Exception {
    String name = "ear-kept";
    deploy(name, "cat", "{}");
    try {
      await(name + " has a ready replica", () -> available(name) == 1);

      admin("undeploy", APP);
      assertEquals(404, get("/healthz").statusCode());
      await("undeploy stops every replica", () -> replicas().isEmpty());

      admin("deploy", "--name", APP, EAR.toString());
      await(name + " is back with a ready replica", () -> available(name) == 1);
      assertEquals("still here", send("POST", "/function/" + name, "still here").body());
    } finally {
      delete(name);
    }
  }

  @Test
  void scheduledFunctionRunsAndTheAdminConsoleCountsItsTimerAndTheInvocations() throws Exception {
    String name = "ear-cron";
    HttpResponse<String> r =
        send(
            "POST",
            "/system/functions",
            "{\"service\":\""
                + name
                + "\",\"envProcess\":\"cat\",\"annotations\":{\"topic\":\"cron-function\","
                + "\"schedule\":\"* * * * * *\"}}");
    assertEquals(202, r.statusCode(), r.body());
    try {
      assertTrue(r.body().contains("\"nextRun\":"), r.body());
      await(name + " has a ready replica", () -> available(name) == 1);
      assertEquals("by hand", send("POST", "/function/" + name, "by hand").body());
      // the schedule runs in the EAR too: the web module attached its invocation path to the
      // EJB module's timers
      await(
          name + " ran on its schedule",
          () ->
              sample(
                      get("/metrics?scope=application").body(),
                      "gateway_schedule_runs_total",
                      name,
                      "code=\"200\"")
                  >= 2);

      // Payara InSight (the monitoring console) is not in Payara Server Community 6.2025.10
      // (payara/Payara#7365): its documented switch is not there (docs/application-server.md)
      AssertionError absent =
          assertThrows(
              AssertionError.class,
              () -> admin("set-monitoring-console-configuration", "--enabled=true"));
      assertTrue(
          absent.getMessage().contains("Command set-monitoring-console-configuration not found"),
          absent.getMessage());

      // what the admin console shows instead, read through its monitoring REST interface:
      // the schedule timer's firings, and the invocation servlet's requests and times
      String timers = "scaler-ejb.jar/ScheduleTimers/timers";
      await(
          "the admin console counts the firings",
          () -> monitored(timers, "numtimersdelivered") >= 2);
      assertTrue(monitored(timers, "numtimerscreated") >= 1);
      String servlet = "gateway.war/server/dev.jakartafaas.invocation.boundary.InvokeServlet";
      await(
          "the admin console counts the invocation", () -> monitored(servlet, "requestcount") >= 1);
      assertTrue(monitored(servlet, "maxtime") >= 0);
    } finally {
      delete(name);
    }
  }

  /**
   * A count of the monitoring tree the admin console shows (Monitor > Applications), under the EAR;
   * -1 when it cannot be read.
   */
  private static long monitored(String path, String statistic) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + adminPort
                              + "/monitoring/domain/server/applications/"
                              + APP
                              + "/"
                              + path
                              + ".json"))
                  .header("Accept", "application/json")
                  .header("X-Requested-By", "PayaraServerIT")
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              BodyHandlers.ofString());
      Matcher m =
          Pattern.compile("\"" + statistic + "\"\\s*:\\s*\\{[^}]*?\"count\"\\s*:\\s*(\\d+)")
              .matcher(r.body());
      return r.statusCode() == 200 && m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  // ---- the domain

  /**
   * Undeploys, stops and deletes the test's domain if there is one, then kills any replica still
   * running on its data directory and removes the directory. Safe to call when nothing is there.
   */
  private static void tearDown() throws Exception {
    Path domain = DOMAINS.resolve(DOMAIN);
    List<String> problems = new ArrayList<>();
    if (Files.isDirectory(domain)) {
      if (adminPort != 0) {
        tryRun(problems, () -> admin("undeploy", APP));
      }
      tryRun(problems, () -> asadmin("stop-domain", "--domaindir", DOMAINS.toString(), DOMAIN));
      Path pid = domain.resolve("config/pid");
      if (Files.exists(pid)) {
        ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
            .filter(h -> h.info().commandLine().orElse("").contains(DOMAINS.toString()))
            .ifPresent(ProcessHandle::destroyForcibly);
      }
      tryRun(problems, () -> asadmin("delete-domain", "--domaindir", DOMAINS.toString(), DOMAIN));
    }
    AssertionError stillRunning = null;
    try {
      Poll.until(
          WAIT,
          "the test's replicas are gone",
          () -> {
            List<ProcessHandle> left = replicas();
            left.forEach(ProcessHandle::destroyForcibly);
            return left.isEmpty();
          });
    } catch (AssertionError e) {
      stillRunning = new AssertionError("replicas left running: " + replicas(), e);
    }
    Trees.delete(WORK);
    if (stillRunning != null) {
      throw stillRunning;
    }
    if (!problems.isEmpty()) {
      System.err.println("cleaning up the Payara domain: " + problems);
    }
  }

  private static void tryRun(List<String> problems, Callable<?> step) {
    try {
      step.call();
    } catch (Exception | AssertionError e) {
      problems.add(e.getMessage());
    }
  }

  /** The first portbase, from {@code first} up in steps of 100, all of whose ports are free. */
  private static int freePortbase(int first) {
    for (int portbase = first; portbase < first + 2000; portbase += 100) {
      boolean free = true;
      for (int offset : PORT_OFFSETS) {
        free &= free(portbase + offset);
      }
      if (free) {
        return portbase;
      }
    }
    throw new AssertionError("no free Payara portbase from " + first);
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A remote asadmin command against the test's domain; its output. */
  private static String admin(String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("--port", "" + adminPort));
    args.addAll(List.of(command));
    return asadmin(args.toArray(String[]::new));
  }

  /** Runs asadmin, bounded in time; fails with its output unless it exits with 0. */
  private static String asadmin(String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("sh", HOME.resolve("bin/asadmin").toString()));
    cmd.add("--interactive=false");
    cmd.addAll(List.of(command));
    Path out = Files.createTempFile("asadmin-", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(ASADMIN.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(cmd + " did not end within " + ASADMIN + ":\n" + read(out));
      }
      String output = read(out);
      if (p.exitValue() != 0) {
        throw new AssertionError(cmd + " exited with " + p.exitValue() + ":\n" + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** {@code name=value} for create-system-properties, whose separator is the colon. */
  private static String property(String name, String value) {
    return name + "=" + value.replace("\\", "\\\\").replace(":", "\\:");
  }

  // ---- replicas: the watchdog processes the process backend started on this data directory

  private static List<ProcessHandle> replicas() throws IOException {
    return processes("-Dfaas.replica.of=" + DATA.normalize(), "");
  }

  private static List<ProcessHandle> replicasOf(String function) throws IOException {
    return processes("-Dfaas.replica.of=" + DATA.normalize(), "-Dfaas.replica.name=" + function);
  }

  private static List<ProcessHandle> processes(String marker, String namePrefix) {
    return ProcFs.processes(
            p ->
                p.arguments().contains(marker)
                    && p.arguments().stream().anyMatch(a -> a.startsWith(namePrefix)))
        .stream()
        .flatMap(p -> p.handle().stream())
        .toList();
  }

  // ---- the gateway's HTTP API

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null);
  }

  private static void deploy(String name, String command, String labels) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/system/functions",
            "{\"service\":\""
                + name
                + "\",\"envProcess\":\""
                + command
                + "\",\"labels\":"
                + labels
                + "}");
    assertEquals(202, r.statusCode(), r.body());
  }

  private static void delete(String name) throws Exception {
    send("DELETE", "/system/functions", "{\"functionName\":\"" + name + "\"}");
  }

  private static int available(String name) {
    return field(name, "availableReplicas");
  }

  private static int desired(String name) {
    return field(name, "replicas");
  }

  /** An integer field of the function's status, -1 when it cannot be read. */
  private static int field(String name, String field) {
    try {
      HttpResponse<String> r = get("/system/function/" + name);
      Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(r.body());
      return r.statusCode() == 200 && m.find() ? Integer.parseInt(m.group(1)) : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * The value of the Prometheus sample of {@code metric} for {@code function} that also carries
   * {@code label}; -1 when there is none.
   */
  private static double sample(String text, String metric, String function, String label) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("function_name=\"" + function + "\"") && labels.contains(label)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return -1;
  }

  /** Polls {@code condition} until it holds; fails naming {@code what} after {@link #WAIT}. */
  private static void await(String what, Callable<Boolean> condition) throws Exception {
    Poll.until(WAIT, what, condition::call);
  }
}
