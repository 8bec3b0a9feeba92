package dev.jakartafaas.backend.swarm.control;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Secret;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.jakartafaas.backend.entity.LogFollow;
import dev.jakartafaas.backend.entity.LogSink;
import dev.jakartafaas.backend.swarm.entity.SwarmSecret;
import dev.jakartafaas.backend.swarm.entity.SwarmTask;
import dev.jakartafaas.problems.entity.BackendUnavailableException;
import dev.jakartafaas.problems.entity.FaasException;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.problems.entity.SecretInUseException;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * The one adapter to the Docker API. Every call is bounded by {@code faas.swarm.api-timeout}; an
 * engine that cannot be reached or does not answer in time becomes {@link
 * BackendUnavailableException} (503), a 400 from the engine becomes {@link InvalidInputException}.
 * Not found and conflict stay docker-java's exceptions for the caller to translate.
 */
public class DockerEngine implements AutoCloseable {

  private static final JsonProvider JSON = JsonProvider.provider();

  private final SwarmSettings settings;
  private final DockerHttpClient http;
  private final DockerClient client;

  public DockerEngine(SwarmSettings settings) {
    this.settings = settings;
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(settings.dockerHost())
            .withDockerTlsVerify(false)
            .build();
    this.http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(URI.create(settings.dockerHost()))
            .maxConnections(32)
            .connectionTimeout(settings.apiTimeout())
            .responseTimeout(settings.apiTimeout())
            .build();
    this.client = DockerClientImpl.getInstance(config, http);
  }

  /** The backend's functions: services labelled {@code function=true} (of the stack, if set). */
  public List<Service> functionServices() {
    Map<String, String> filter = new HashMap<>();
    filter.put(ServiceSpecs.FUNCTION_LABEL, "true");
    if (!settings.stack().isEmpty()) {
      filter.put(ServiceSpecs.STACK_LABEL, settings.stack());
    }
    List<Service> services = call(() -> client.listServicesCmd().withLabelFilter(filter).exec());
    return services.stream()
        .filter(s -> s.getSpec() != null && ServiceSpecs.isFunction(s.getSpec(), settings))
        .toList();
  }

  public Service inspect(String serviceId) {
    return call(() -> client.inspectServiceCmd(serviceId).exec());
  }

  public void create(ServiceSpec spec) {
    call(() -> client.createServiceCmd(spec).exec());
  }

  public void update(String serviceId, long version, ServiceSpec spec) {
    call(
        () -> {
          client.updateServiceCmd(serviceId, spec).withVersion(version).exec();
          return null;
        });
  }

  public void remove(String serviceId) {
    call(
        () -> {
          client.removeServiceCmd(serviceId).exec();
          return null;
        });
  }

  /** The platform's Docker secrets (of the stack, if set), every version; never their values. */
  public List<SwarmSecret> platformSecrets() {
    List<Secret> secrets =
        call(() -> client.listSecretsCmd().withLabelFilter(SecretSpecs.filter(settings)).exec());
    List<SwarmSecret> platform = new ArrayList<>();
    for (Secret s : secrets) {
      if (s.getSpec() != null) {
        SecretSpecs.read(s.getId(), s.getSpec().getName(), s.getSpec().getLabels(), settings)
            .ifPresent(platform::add);
      }
    }
    return platform;
  }

  /**
   * Creates a Docker secret and returns its id. Made directly, not with docker-java's SecretSpec,
   * so that no object holding the value exists whose {@code toString} could reach a log; no message
   * this method produces contains the value.
   *
   * @throws ConflictException if a Docker secret of that name exists
   */
  public String createSecret(String dockerName, Map<String, String> labels, byte[] value) {
    JsonObjectBuilder l = JSON.createObjectBuilder();
    labels.forEach(l::add);
    byte[] body =
        JSON.createObjectBuilder()
            .add("Name", dockerName)
            .add("Labels", l)
            .add("Data", Base64.getEncoder().encodeToString(value))
            .build()
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.POST)
            .path("/secrets/create")
            .putHeader("Content-Type", "application/json")
            .bodyBytes(body)
            .build();
    return call(
        () -> {
          try (DockerHttpClient.Response response = http.execute(request)) {
            String answer =
                new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8).strip();
            int status = response.getStatusCode();
            if (status == 409) {
              throw new ConflictException("Docker secret " + dockerName + " exists");
            }
            if (status == 400) {
              throw new InvalidInputException(
                  "the Docker engine refused secret " + dockerName + ": " + oneLine(answer));
            }
            if (status != 201 && status != 200) {
              throw new BackendUnavailableException(
                  "the Docker engine answered "
                      + status
                      + " to creating secret "
                      + dockerName
                      + ": "
                      + oneLine(answer));
            }
            try (JsonReader r = JSON.createReader(new StringReader(answer))) {
              return r.readObject().getString("ID");
            } catch (RuntimeException e) {
              throw new BackendUnavailableException(
                  "the Docker engine created secret " + dockerName + " but gave no id");
            }
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          } finally {
            Arrays.fill(body, (byte) 0);
          }
        });
  }

  /**
   * Removes a Docker secret.
   *
   * @throws NotFoundException if it is gone
   * @throws SecretInUseException if a service uses it (the engine refuses)
   */
  public void removeSecret(SwarmSecret secret) {
    try {
      call(
          () -> {
            client.removeSecretCmd(secret.id()).exec();
            return null;
          });
    } catch (InvalidInputException e) {
      if (e.getMessage() != null && e.getMessage().contains("in use")) {
        throw new SecretInUseException("secret " + secret.name() + " is in use: " + e.getMessage());
      }
      throw e;
    }
  }

  /** Every task swarm wants running, with its address on the functions' network. */
  public List<SwarmTask> runningTasks() {
    return tasks("{\"desired-state\":[\"running\"]}");
  }

  /** Every task the engine keeps of the service, its history of ended tasks included. */
  public List<SwarmTask> serviceTasks(String serviceId) {
    return tasks(
        JSON.createObjectBuilder()
            .add("service", JSON.createArrayBuilder().add(serviceId))
            .build()
            .toString());
  }

  private List<SwarmTask> tasks(String filterJson) {
    String filters = URLEncoder.encode(filterJson, StandardCharsets.UTF_8);
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.GET)
            .path("/tasks?filters=" + filters)
            .build();
    return call(
        () -> {
          try (DockerHttpClient.Response response = http.execute(request)) {
            String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
            if (response.getStatusCode() != 200) {
              throw new BackendUnavailableException(
                  "the Docker engine answered "
                      + response.getStatusCode()
                      + " to the task list: "
                      + body.strip());
            }
            return TaskList.parse(body, settings.network());
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  /**
   * The service's log lines as the engine gives them, with timestamps and details (docker-java's
   * own log command drops the details, which name the task, so this call is made directly).
   */
  public List<String> logs(String serviceId, int tail, Instant since) {
    String path = logsPath(serviceId, tail, since, false);
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.GET)
            .path(path)
            .build();
    return call(
        () -> {
          try (DockerHttpClient.Response response = http.execute(request)) {
            byte[] body = response.getBody().readAllBytes();
            if (response.getStatusCode() == 404) {
              throw new NotFoundException("service " + serviceId + " not found");
            }
            if (response.getStatusCode() != 200) {
              throw new BackendUnavailableException(
                  "the Docker engine answered "
                      + response.getStatusCode()
                      + " to the log request: "
                      + new String(body, StandardCharsets.UTF_8).strip());
            }
            return LogStream.lines(body);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  /**
   * Follows the service's log on a thread from {@code threads}: the kept lines {@code tail} and
   * {@code since} select, then each new one, into {@code sink}, until closed or the engine ends it.
   */
  public LogFollow followLogs(
      String serviceId,
      String function,
      int tail,
      Instant since,
      LogSink sink,
      ThreadFactory threads) {
    return new ServiceLogFollow(
            function,
            tail,
            since,
            (t, s) ->
                EngineLogStream.open(
                    settings.dockerHost(), logsPath(serviceId, t, s, true), settings.apiTimeout()),
            sink,
            threads)
        .start();
  }

  /**
   * The engine's log request for a service: both streams, with timestamps and the details that name
   * the task; {@code tail} newest kept lines (negative: all), from {@code since} (null: all).
   */
  static String logsPath(String serviceId, int tail, Instant since, boolean follow) {
    StringBuilder path =
        new StringBuilder("/services/")
            .append(URLEncoder.encode(serviceId, StandardCharsets.UTF_8))
            .append("/logs?stdout=1&stderr=1&timestamps=1&details=1&follow=")
            .append(follow ? '1' : '0')
            .append("&tail=")
            .append(tail >= 0 ? Integer.toString(tail) : "all");
    if (since != null) {
      path.append("&since=")
          .append(since.getEpochSecond())
          .append('.')
          .append(String.format("%09d", since.getNano()));
    }
    return path.toString();
  }

  private <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (NotFoundException | ConflictException | FaasException e) {
      throw e;
    } catch (BadRequestException e) {
      throw new InvalidInputException("the Docker engine refused it: " + oneLine(e.getMessage()));
    } catch (DockerException e) {
      if (isOutOfSequence(e)) {
        throw e;
      }
      throw new BackendUnavailableException(
          "the Docker engine failed: " + e.getHttpStatus() + " " + oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      throw new BackendUnavailableException(
          "the Docker engine at "
              + settings.dockerHost()
              + " is unreachable: "
              + oneLine(rootMessage(e)));
    }
  }

  /** A stale service version on update: re-read the service and try again. */
  public static boolean isOutOfSequence(DockerException e) {
    return e.getMessage() != null && e.getMessage().contains("out of sequence");
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.replaceAll("\\s+", " ").strip();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
