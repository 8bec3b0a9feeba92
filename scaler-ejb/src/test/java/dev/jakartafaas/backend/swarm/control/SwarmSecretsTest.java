package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jakartafaas.problems.entity.FaasException;
import dev.jakartafaas.problems.entity.SecretExistsException;
import dev.jakartafaas.problems.entity.SecretInUseException;
import dev.jakartafaas.problems.entity.SecretNotFoundException;
import dev.jakartafaas.secrets.entity.Secret;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The swarm backend's secret operations against a small fake Docker API: what is sent to the
 * engine, the status of each outcome (as on the process backend), and that no message or log record
 * carries the value.
 */
class SwarmSecretsTest {

  private static final String VALUE = "s3cr3t-value-0815";
  private static final String VALUE_B64 =
      Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8));

  private static final String DB_V1 =
      """
      [{"ID":"d1","Version":{"Index":1},
        "Spec":{"Name":"db","Labels":{"com.openfaas.secret":"true",
                "com.openfaas.secret.name":"db","com.openfaas.secret.version":"1"}}}]
      """;

  private static final String READER =
      """
      {"ID":"s1","Version":{"Index":7},
       "Spec":{"Name":"reader","Labels":{"function":"true","com.openfaas.function":"reader"},
               "TaskTemplate":{"ContainerSpec":{"Image":"img",
                 "Env":["fprocess=cat","secret_mount_path=/var/openfaas/secrets"],
                 "Secrets":[{"File":{"Name":"/var/openfaas/secrets/db","UID":"1000","GID":"1000",
                                     "Mode":256},"SecretID":"d1","SecretName":"db"}]}},
               "Mode":{"Replicated":{"Replicas":1}}}}
      """;

  private volatile String secretsJson = "[]";
  private volatile String servicesJson = "[]";
  private volatile int createStatus = 201;
  private volatile int removeStatus = 204;
  private final List<String> created = new CopyOnWriteArrayList<>();
  private final List<String> removed = new CopyOnWriteArrayList<>();
  private final List<String> serviceUpdates = new CopyOnWriteArrayList<>();
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          logged.add(r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private HttpServer engine;
  private SwarmFunctions functions;

  private void start() throws IOException {
    engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    engine.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getPath();
          String method = ex.getRequestMethod();
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if (path.endsWith("/secrets") && method.equals("GET")) {
            answer(ex, 200, secretsJson);
          } else if (path.endsWith("/secrets/create")) {
            created.add(body);
            answer(
                ex,
                createStatus,
                createStatus == 201
                    ? "{\"ID\":\"new1\"}"
                    : "{\"message\":\"rpc error: code = AlreadyExists desc = secret exists\"}");
          } else if (path.contains("/secrets/") && method.equals("DELETE")) {
            removed.add(path.substring(path.lastIndexOf('/') + 1));
            if (removeStatus == 204) {
              ex.sendResponseHeaders(204, -1);
              ex.close();
            } else {
              answer(
                  ex,
                  removeStatus,
                  "{\"message\":\"rpc error: code = InvalidArgument desc = secret 'db' is in use"
                      + " by the following service: other\"}");
            }
          } else if (path.endsWith("/services")) {
            answer(ex, 200, servicesJson);
          } else if (path.endsWith("/services/s1")) {
            answer(ex, 200, READER);
          } else if (path.endsWith("/services/s1/update")) {
            serviceUpdates.add(body);
            answer(ex, 200, "{\"Warnings\":null}");
          } else if (path.endsWith("/tasks")) {
            answer(ex, 200, "[]");
          } else {
            answer(ex, 404, "{\"message\":\"not here\"}");
          }
        });
    engine.start();
    SwarmSettings settings =
        new SwarmSettings(
            "tcp://127.0.0.1:" + engine.getAddress().getPort(),
            "functions",
            "",
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            8080,
            Duration.ofSeconds(1),
            3,
            Duration.ofSeconds(1),
            "1000");
    Logger.getLogger("dev.jakartafaas").addHandler(capture);
    functions = new SwarmFunctions(settings, new DockerEngine(settings), Thread::new, a -> {});
    functions.start();
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (var out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @AfterEach
  void stop() {
    Logger.getLogger("dev.jakartafaas").removeHandler(capture);
    if (functions != null) {
      functions.close();
    }
    if (engine != null) {
      engine.stop(0);
    }
    String all = String.join("\n", logged);
    assertFalse(all.contains(VALUE) || all.contains(VALUE_B64), "a value was logged: " + all);
  }

  private static Secret db() {
    return new Secret("db", VALUE.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject json(String s) {
    return Json.createReader(new StringReader(s)).readObject();
  }

  private static void assertNoValue(FaasException e) {
    assertFalse(
        e.getMessage().contains(VALUE) || e.getMessage().contains(VALUE_B64), e.getMessage());
  }

  @Test
  void createSendsTheValueBase64OnlyInTheCreateBodyWithThePlatformsLabels() throws Exception {
    start();
    functions.createSecret(db());
    JsonObject body = json(created.get(0));
    assertEquals("db", body.getString("Name"));
    assertEquals(VALUE_B64, body.getString("Data"));
    assertEquals(
        json(
            "{\"com.openfaas.secret\":\"true\",\"com.openfaas.secret.name\":\"db\","
                + "\"com.openfaas.secret.version\":\"1\"}"),
        body.getJsonObject("Labels"));
  }

  @Test
  void createOfAnExistingSecretIs409AndSendsNothing() throws Exception {
    secretsJson = DB_V1;
    start();
    SecretExistsException e =
        assertThrows(SecretExistsException.class, () -> functions.createSecret(db()));
    assertEquals("secret db already exists; update it with PUT /system/secrets", e.getMessage());
    assertTrue(created.isEmpty());
  }

  @Test
  void createOverADockerSecretThePlatformDoesNotManageIs409() throws Exception {
    createStatus = 409;
    start();
    SecretExistsException e =
        assertThrows(SecretExistsException.class, () -> functions.createSecret(db()));
    assertTrue(e.getMessage().contains("not manage"), e.getMessage());
    assertNoValue(e);
  }

  @Test
  void listShowsThePlatformsNamesOnce() throws Exception {
    secretsJson =
        """
        [{"ID":"d2","Spec":{"Name":"db.v2","Labels":{"com.openfaas.secret":"true",
            "com.openfaas.secret.name":"db","com.openfaas.secret.version":"2"}}},
         {"ID":"d1","Spec":{"Name":"db","Labels":{"com.openfaas.secret":"true",
            "com.openfaas.secret.name":"db","com.openfaas.secret.version":"1"}}},
         {"ID":"x","Spec":{"Name":"by-hand","Labels":{}}}]
        """;
    start();
    assertEquals(List.of("db"), functions.secretNames());
  }

  @Test
  void updateCreatesVersion2RepointsTheFunctionAndRemovesVersion1() throws Exception {
    secretsJson = DB_V1;
    servicesJson = "[" + READER + "]";
    start();
    functions.updateSecret(db());
    JsonObject body = json(created.get(0));
    assertEquals("db.v2", body.getString("Name"));
    assertEquals("2", body.getJsonObject("Labels").getString("com.openfaas.secret.version"));
    assertEquals(1, serviceUpdates.size());
    JsonObject mount =
        json(serviceUpdates.get(0))
            .getJsonObject("TaskTemplate")
            .getJsonObject("ContainerSpec")
            .getJsonArray("Secrets")
            .getJsonObject(0);
    assertEquals("new1", mount.getString("SecretID"));
    assertEquals("db.v2", mount.getString("SecretName"));
    assertEquals("/var/openfaas/secrets/db", mount.getJsonObject("File").getString("Name"));
    assertEquals(List.of("d1"), removed);
  }

  @Test
  void updateOfAnUnknownSecretIs404AndCreatesNothing() throws Exception {
    start();
    SecretNotFoundException e =
        assertThrows(SecretNotFoundException.class, () -> functions.updateSecret(db()));
    assertEquals("secret db not found", e.getMessage());
    assertTrue(created.isEmpty());
  }

  @Test
  void oldVersionTheEngineStillRefusesToRemoveIsLoggedByNameOnly() throws Exception {
    secretsJson = DB_V1;
    removeStatus = 400;
    start();
    functions.updateSecret(db());
    assertEquals(List.of("d1"), removed);
    assertTrue(
        logged.stream().anyMatch(l -> l.contains("older version db stays")), logged.toString());
  }

  @Test
  void deleteWhileAFunctionNamesItIs409NamingTheFunction() throws Exception {
    secretsJson = DB_V1;
    servicesJson = "[" + READER + "]";
    start();
    SecretInUseException e =
        assertThrows(SecretInUseException.class, () -> functions.removeSecret("db"));
    assertEquals(
        "secret db is used by function reader; remove it from their 'secrets' (or delete them)"
            + " first",
        e.getMessage());
    assertTrue(removed.isEmpty());
  }

  @Test
  void deleteTheEngineRefusesBecauseAServiceUsesItIs409() throws Exception {
    secretsJson = DB_V1;
    removeStatus = 400;
    start();
    SecretInUseException e =
        assertThrows(SecretInUseException.class, () -> functions.removeSecret("db"));
    assertEquals(409, e.status());
  }

  @Test
  void deleteOfAnUnknownSecretIs404AndDeleteRemovesEveryVersion() throws Exception {
    start();
    assertThrows(SecretNotFoundException.class, () -> functions.removeSecret("db"));
    secretsJson =
        """
        [{"ID":"d2","Spec":{"Name":"db.v2","Labels":{"com.openfaas.secret":"true",
            "com.openfaas.secret.name":"db","com.openfaas.secret.version":"2"}}},
         {"ID":"d1","Spec":{"Name":"db","Labels":{"com.openfaas.secret":"true",
            "com.openfaas.secret.name":"db","com.openfaas.secret.version":"1"}}}]
        """;
    functions.removeSecret("db");
    assertEquals(List.of("d1", "d2"), removed);
  }
}
