package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.problems.entity.SecretExistsException;
import dev.jakartafaas.problems.entity.SecretInUseException;
import dev.jakartafaas.problems.entity.SecretNotFoundException;
import dev.jakartafaas.secrets.entity.Secret;
import dev.jakartafaas.testing.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets of the process backend with real watchdog replicas reading them, no container. */
class ProcessSecretsIT {

  private static final Path WATCHDOG = Path.of(System.getProperty("watchdog.jar", "missing"));
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String MARKER = "S3CRET-MARKER-b91d";
  private static final ThreadFactory DAEMONS =
      r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
      };

  @TempDir Path data;
  @TempDir Path scripts;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ProcessFunctions> opened = new ArrayList<>();
  private String reader;

  @BeforeEach
  void watchdogIsBuiltAndTheReaderScriptWritten() throws Exception {
    assertTrue(Files.isRegularFile(WATCHDOG), "build the watchdog first: " + WATCHDOG);
    // fprocess is split on spaces and run without a shell, so the reading is in a script
    Path script = scripts.resolve("read-secret.sh");
    Files.writeString(script, "cat \"$secret_mount_path/$1\"\n");
    reader = "sh " + script;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(ProcessFunctions::close);
  }

  private ProcessFunctions start() {
    ProcessSettings settings =
        new ProcessSettings(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-Xmx32m"),
            WATCHDOG,
            "setsid",
            Path.of("."),
            data,
            List.of("PATH", "HOME", "LANG", "TZ"),
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofMillis(200),
            500);
    ProcessFunctions f = new ProcessFunctions(settings, System.getenv(), DAEMONS, a -> {});
    opened.add(f);
    f.start();
    return f;
  }

  private static Secret secret(String name, String value) {
    return new Secret(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static FunctionDeployment using(String name, String envProcess, String... secrets) {
    return new FunctionDeployment(
        name, "", envProcess, null, null, null, List.of(secrets), null, null, null, false);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.untilTrue(WAIT, what, condition);
  }

  private static List<ReplicaAddress> ready(ProcessFunctions f, String name) {
    return f.readyReplicas(name).orElseThrow();
  }

  private String call(ReplicaAddress a) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + a.host() + ":" + a.port() + "/"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  @Test
  void aReplicaReadsItsSecretFromAFileOnlyItsUserCanRead() throws Exception {
    ProcessFunctions f = start();
    f.createSecret(secret("db-password", MARKER));
    f.deploy(using("reader", reader + " db-password", "db-password"), 1);
    f.deploy(using("envdump", "env", "db-password"), 1);
    await("both ready", () -> ready(f, "reader").size() == 1 && ready(f, "envdump").size() == 1);

    assertEquals(MARKER, call(ready(f, "reader").get(0)));
    Path dir = data.resolve("tmp/reader-1/secrets");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals(
        "r--------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("db-password"))));

    String env = call(ready(f, "envdump").get(0));
    assertTrue(env.contains("secret_mount_path=" + data.resolve("tmp/envdump-1/secrets")), env);
    assertFalse(env.contains(MARKER), "the value is a file, never a variable: " + env);
    for (String name : List.of("reader", "envdump")) {
      for (LogLine l : f.logs(name, -1, null)) {
        assertFalse(l.text().contains(MARKER), l.text());
      }
    }
  }

  @Test
  void aDeploymentNamingAMissingSecretIsRefusedAndChangesNothing() throws Exception {
    ProcessFunctions f = start();
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> f.deploy(using("lost", "cat", "nope"), 1));
    assertEquals(
        "secret nope named in 'secrets' does not exist; create it with POST /system/secrets first",
        e.getMessage());
    assertTrue(f.list().isEmpty());
    assertFalse(Files.exists(data.resolve("functions/lost.json")));

    f.deploy(FunctionDeployment.of("kept", "cat"), 1);
    assertThrows(InvalidInputException.class, () -> f.update(using("kept", "wc", "nope")));
    assertEquals("cat", f.find("kept").orElseThrow().deployment().envProcess());
  }

  @Test
  void anUpdatedSecretReachesNewReplicasWhileRunningOnesKeepTheirCopy() throws Exception {
    ProcessFunctions f = start();
    f.createSecret(secret("token", "v1"));
    f.deploy(using("rotating", reader + " token", "token"), 1);
    await("ready", () -> ready(f, "rotating").size() == 1);
    ReplicaAddress first = ready(f, "rotating").get(0);

    f.updateSecret(secret("token", "v2"));
    f.scale("rotating", 2);
    await("2 ready", () -> ready(f, "rotating").size() == 2);
    ReplicaAddress second =
        ready(f, "rotating").stream().filter(a -> !a.equals(first)).findFirst().orElseThrow();
    assertEquals("v1", call(first), "a running replica keeps the value it started with");
    assertEquals("v2", call(second));

    f.update(using("rotating", reader + " token", "token"));
    await(
        "the update replaces both",
        () ->
            ready(f, "rotating").size() == 2
                && !ready(f, "rotating").contains(first)
                && !ready(f, "rotating").contains(second));
    for (ReplicaAddress a : ready(f, "rotating")) {
      assertEquals("v2", call(a));
    }
  }

  @Test
  void aSecretInUseIsNotDeletedUntilNoFunctionNamesIt() {
    ProcessFunctions f = start();
    f.createSecret(secret("shared", "x"));
    f.deploy(using("one", "cat", "shared"), 1);
    f.deploy(using("two", "cat", "shared"), 1);
    SecretInUseException e =
        assertThrows(SecretInUseException.class, () -> f.removeSecret("shared"));
    assertEquals(409, e.status());
    assertEquals(
        "secret shared is used by functions one, two; remove it from their 'secrets' (or delete"
            + " them) first",
        e.getMessage());
    f.remove("one");
    f.update(FunctionDeployment.of("two", "cat"));
    f.removeSecret("shared");
    assertEquals(List.of(), f.secretNames());
    assertThrows(SecretNotFoundException.class, () -> f.removeSecret("shared"));
  }

  @Test
  void createsOnceAndUpdatesOnlyWhatExists() {
    ProcessFunctions f = start();
    f.createSecret(secret("once", "1"));
    assertThrows(SecretExistsException.class, () -> f.createSecret(secret("once", "2")));
    assertThrows(SecretNotFoundException.class, () -> f.updateSecret(secret("never", "1")));
    assertEquals(List.of("once"), f.secretNames());
  }

  @Test
  void secretsAndTheFunctionsUsingThemComeBackAfterARestart() throws Exception {
    ProcessFunctions first = start();
    first.createSecret(secret("durable", MARKER));
    first.deploy(using("keeper", reader + " durable", "durable"), 1);
    first.close();

    ProcessFunctions second = start();
    assertEquals(List.of("durable"), second.secretNames());
    await("restored replica ready", () -> ready(second, "keeper").size() == 1);
    assertEquals(MARKER, call(ready(second, "keeper").get(0)));
    assertThrows(SecretInUseException.class, () -> second.removeSecret("durable"));
    assertEquals(Map.of(), second.find("keeper").orElseThrow().deployment().envVars());
  }
}
