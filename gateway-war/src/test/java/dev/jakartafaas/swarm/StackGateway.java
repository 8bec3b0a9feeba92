package dev.jakartafaas.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The HTTP API of a gateway that {@code stack/deploy.sh} deployed, as the swarm system tests use
 * it: calls to functions, and the management API with the password deploy.sh generated.
 */
final class StackGateway {

  private static final Pattern AVAILABLE = Pattern.compile("\"availableReplicas\":(\\d+)");
  private static final Pattern REPLICAS = Pattern.compile("\"replicas\":(\\d+)");

  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  final String stack;
  final String host;
  final int port;
  final String base;

  /**
   * @param stack the stack's name, as given to deploy.sh
   * @param host the address of the gateway's node
   * @param port the gateway's published port
   */
  StackGateway(String stack, String host, int port) {
    this.stack = stack;
    this.host = host;
    this.port = port;
    this.base = "http://" + host + ":" + port;
  }

  /**
   * Deploys the stack with {@code stack/deploy.sh} on the engine {@code docker} talks to, from the
   * images built before, and waits (as deploy.sh does) until the gateway and the sample functions
   * answer at this gateway's address.
   */
  void deployStack(Commands docker) throws IOException, InterruptedException {
    docker.run(
        Duration.ofMinutes(6),
        "bash",
        "stack/deploy.sh",
        "--stack",
        stack,
        "--port",
        Integer.toString(port),
        "--host",
        host,
        "--no-build");
  }

  HttpResponse<String> call(String function, String body) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/function/" + function))
            .timeout(Duration.ofSeconds(30))
            .POST(BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  /** The credentials deploy.sh generated for the stack. */
  private String authorization() throws IOException {
    String password =
        Files.readString(Commands.ROOT.resolve("data/" + stack + "-basic-auth-password")).strip();
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> system(String method, String path, String json)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Authorization", authorization())
            .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json))
            .build(),
        BodyHandlers.ofString());
  }

  /** A FunctionDeployment's JSON. */
  static String deployment(
      String name,
      String image,
      String fprocess,
      Map<String, String> labels,
      List<String> constraints) {
    return "{\"service\":\""
        + name
        + "\",\"image\":\""
        + image
        + "\",\"envProcess\":\""
        + fprocess
        + "\",\"labels\":{"
        + labels.entrySet().stream()
            .map(e -> quoted(e.getKey()) + ":" + quoted(e.getValue()))
            .collect(Collectors.joining(","))
        + "},\"constraints\":["
        + constraints.stream().map(StackGateway::quoted).collect(Collectors.joining(","))
        + "]}";
  }

  private static String quoted(String s) {
    return '"' + s + '"';
  }

  void deploy(String name, String image, String fprocess, Map<String, String> labels)
      throws IOException, InterruptedException {
    deploy(name, image, fprocess, labels, List.of());
  }

  void deploy(
      String name,
      String image,
      String fprocess,
      Map<String, String> labels,
      List<String> constraints)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        system("POST", "/system/functions", deployment(name, image, fprocess, labels, constraints));
    assertEquals(202, r.statusCode(), r.body());
  }

  void update(String name, String image, String fprocess) throws IOException, InterruptedException {
    HttpResponse<String> r =
        system("PUT", "/system/functions", deployment(name, image, fprocess, Map.of(), List.of()));
    assertEquals(202, r.statusCode(), r.body());
  }

  void scale(String name, int replicas) throws IOException, InterruptedException {
    HttpResponse<String> r =
        system(
            "POST",
            "/system/scale-function/" + name,
            "{\"serviceName\":\"" + name + "\",\"replicas\":" + replicas + "}");
    assertEquals(202, r.statusCode(), r.body());
  }

  void remove(String name) throws IOException, InterruptedException {
    HttpResponse<String> r =
        system("DELETE", "/system/functions", "{\"functionName\":\"" + name + "\"}");
    assertEquals(202, r.statusCode(), r.body());
  }

  /** The FunctionStatus JSON, or an empty string when it cannot be read. */
  String status(String name) {
    try {
      HttpResponse<String> r = system("GET", "/system/function/" + name, null);
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private int field(String name, Pattern field) {
    Matcher m = field.matcher(status(name));
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Ready replicas as the gateway reports them; -1 when it cannot tell. */
  int available(String name) {
    return field(name, AVAILABLE);
  }

  /** Desired replicas as the gateway reports them; -1 when it cannot tell. */
  int replicas(String name) {
    return field(name, REPLICAS);
  }
}
