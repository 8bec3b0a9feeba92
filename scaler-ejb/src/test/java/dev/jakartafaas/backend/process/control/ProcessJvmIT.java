package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.testing.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicas' JVM options by the replica java's version, and the AOT cache the backend makes for
 * Java 25 replicas, with real watchdog replicas.
 */
class ProcessJvmIT {

  private static final Path WATCHDOG = Path.of(System.getProperty("watchdog.jar", "missing"));
  private static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
  private static final String OWN_JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ThreadFactory DAEMONS =
      r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
      };

  @TempDir Path data;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ProcessFunctions> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(ProcessFunctions::close);
  }

  private ProcessFunctions start(String java, List<String> options25) {
    assertTrue(Files.isRegularFile(WATCHDOG), "build the watchdog first: " + WATCHDOG);
    ProcessSettings settings =
        new ProcessSettings(
            java,
            List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-Xmx32m"),
            WATCHDOG,
            "setsid",
            Path.of("."),
            data,
            List.of("PATH", "HOME", "LANG", "TZ"),
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ZERO,
            500,
            LimitSettings.OFF,
            options25,
            true);
    ProcessFunctions f = new ProcessFunctions(settings, System.getenv(), DAEMONS, a -> {});
    opened.add(f);
    f.start();
    return f;
  }

  private String call(ReplicaAddress a, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + a.host() + ":" + a.port() + "/"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  private static List<ReplicaAddress> ready(ProcessFunctions f, String name) {
    return f.readyReplicas(name).orElseThrow();
  }

  private static String commandLine(ProcessFunctions f, String name) {
    ProcessHandle p = f.processes(name).get(0);
    return String.join(" ", p.info().arguments().orElse(new String[0]));
  }

  @Test
  void java25ReplicasGetTheirOptionsAndAnAotCacheThatOutlivesARestart() throws Exception {
    assumeTrue(Runtime.version().feature() >= 25, "the build's java makes no AOT cache");
    ProcessFunctions f = start(OWN_JAVA, List.of("-XX:+UseCompactObjectHeaders"));
    Poll.untilTrue(WAIT, "the AOT cache", () -> f.replicaJvm().aotCache() != null);
    Path cache = f.replicaJvm().aotCache();
    assertTrue(Files.size(cache) > 0, cache.toString());
    FileTime made = Files.getLastModifiedTime(cache);

    f.deploy(FunctionDeployment.of("aot", "cat"), 1);
    Poll.untilTrue(WAIT, "aot ready", () -> ready(f, "aot").size() == 1);
    assertEquals("ahead of time", call(ready(f, "aot").get(0), "ahead of time"));
    String args = commandLine(f, "aot");
    assertTrue(args.contains("-XX:AOTCache=" + cache), args);
    assertTrue(args.contains("-XX:+UseCompactObjectHeaders"), args);
    f.close();

    ProcessFunctions again = start(OWN_JAVA, List.of("-XX:+UseCompactObjectHeaders"));
    Poll.untilTrue(WAIT, "the AOT cache again", () -> again.replicaJvm().aotCache() != null);
    assertEquals(cache, again.replicaJvm().aotCache());
    assertEquals(made, Files.getLastModifiedTime(cache), "reused, not made again");
    Poll.untilTrue(WAIT, "aot ready again", () -> ready(again, "aot").size() == 1);
    assertEquals("again", call(ready(again, "aot").get(0), "again"));
  }

  @Test
  void java17ReplicasDoNotGetTheJava25Options() throws Exception {
    assumeTrue(Files.isExecutable(JAVA_17), "no Java 17 at " + JAVA_17);
    ProcessFunctions f = start(JAVA_17.toString(), List.of("-XX:+UseCompactObjectHeaders"));
    assertEquals(17, f.replicaJvm().feature());
    f.deploy(FunctionDeployment.of("old", "cat"), 1);
    Poll.untilTrue(WAIT, "old ready", () -> ready(f, "old").size() == 1);
    assertEquals("seventeen", call(ready(f, "old").get(0), "seventeen"));
    String args = commandLine(f, "old");
    assertFalse(args.contains("UseCompactObjectHeaders"), args);
    assertFalse(args.contains("AOTCache"), args);
    assertNotNull(f.replicaJvm());
    assertFalse(Files.exists(data.resolve("aot")), "no AOT cache for Java 17");
  }
}
