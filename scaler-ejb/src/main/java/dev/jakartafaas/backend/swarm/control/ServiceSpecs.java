package dev.jakartafaas.backend.swarm.control;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import dev.jakartafaas.backend.swarm.entity.SwarmSecret;
import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.Resources;
import dev.jakartafaas.problems.entity.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Translates between a {@link FunctionDeployment} and the swarm service spec that runs it, both
 * ways, so that the service itself is the stored deployment. The label names live here.
 */
public final class ServiceSpecs {

  /** Every function service carries it; no other service is ever listed, scaled or removed. */
  public static final String FUNCTION_LABEL = "function";

  /** The function's name, which may differ from the service's (stack services are prefixed). */
  public static final String NAME_LABEL = "com.openfaas.function";

  /** Set by {@code docker stack deploy}; set by us too, so {@code docker stack rm} removes all. */
  public static final String STACK_LABEL = "com.docker.stack.namespace";

  static final String ANNOTATION_PREFIX = "com.openfaas.annotations.";
  static final String STACK_IMAGE_LABEL = "com.docker.stack.image";
  static final String FPROCESS = "fprocess";
  static final String SECRETS_DIR = "/var/openfaas/secrets/";

  /** Set for functions that name secrets: the directory their files are in, as on OpenFaaS. */
  static final String SECRET_MOUNT_PATH = "secret_mount_path";

  private ServiceSpecs() {}

  /**
   * The spec of a function's service.
   *
   * @param secrets the current version of each of the deployment's secrets, by name
   */
  public static ServiceSpec spec(
      FunctionDeployment d,
      SwarmSettings settings,
      Map<String, SwarmSecret> secrets,
      int replicas) {
    if (d.image().isBlank()) {
      throw new InvalidInputException("image is required on the swarm backend");
    }
    List<ContainerSpecSecret> mounts = secretMounts(d, settings, secrets);
    ContainerSpec container =
        new ContainerSpec()
            .withImage(d.image())
            .withEnv(environment(d, !mounts.isEmpty()))
            .withLabels(Map.of(NAME_LABEL, d.service()))
            .withSecrets(mounts)
            .withInit(true)
            .withReadOnly(d.readOnlyRootFilesystem());
    if (d.readOnlyRootFilesystem()) {
      container.withMounts(List.of(new Mount().withType(MountType.TMPFS).withTarget("/tmp")));
    }
    return new ServiceSpec()
        .withName(settings.serviceName(d.service()))
        .withLabels(serviceLabels(d, settings))
        .withTaskTemplate(task(d, settings, container))
        .withMode(
            new ServiceModeConfig()
                .withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas)))
        .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR))
        // one task at a time, the new one first: the gateway keeps routing to the old ones until
        // the new one answers its health check
        .withUpdateConfig(
            new UpdateConfig()
                .withParallelism(1L)
                .withOrder(UpdateOrder.START_FIRST)
                .withFailureAction(UpdateFailureAction.ROLLBACK));
  }

  /** The deployment's labels, its annotations as prefixed labels, and the platform's own. */
  private static Map<String, String> serviceLabels(FunctionDeployment d, SwarmSettings settings) {
    Map<String, String> labels = new TreeMap<>(d.labels());
    d.annotations().forEach((k, v) -> labels.put(ANNOTATION_PREFIX + k, v));
    labels.put(FUNCTION_LABEL, "true");
    labels.put(NAME_LABEL, d.service());
    if (!settings.stack().isEmpty()) {
      labels.put(STACK_LABEL, settings.stack());
    }
    return labels;
  }

  /** {@code fprocess}, the deployment's {@code envVars}, and the secrets' directory if any. */
  private static List<String> environment(FunctionDeployment d, boolean secrets) {
    List<String> env = new ArrayList<>();
    if (!d.envProcess().isBlank()) {
      env.add(FPROCESS + "=" + d.envProcess());
    }
    new TreeMap<>(d.envVars())
        .forEach(
            (k, v) -> {
              if (k.isEmpty() || k.contains("=")) {
                throw new InvalidInputException("envVars name '" + k + "' is not valid");
              }
              if (SECRET_MOUNT_PATH.equals(k)) {
                throw new InvalidInputException(
                    "envVars may not set '" + k + "': the swarm backend sets it for each replica");
              }
              if (!FPROCESS.equals(k) || d.envProcess().isBlank()) {
                env.add(k + "=" + v);
              }
            });
    if (secrets) {
      env.add(SECRET_MOUNT_PATH + "=" + SECRETS_DIR.substring(0, SECRETS_DIR.length() - 1));
    }
    return env;
  }

  /** One read-only file per secret the deployment names, owned by the function's user. */
  private static List<ContainerSpecSecret> secretMounts(
      FunctionDeployment d, SwarmSettings settings, Map<String, SwarmSecret> secrets) {
    List<ContainerSpecSecret> mounts = new ArrayList<>();
    for (String name : d.secrets()) {
      SwarmSecret secret = secrets.get(name);
      if (secret == null) {
        throw new InvalidInputException(
            "secret "
                + FunctionNames.printable(name)
                + " named in 'secrets' does not exist; create it with POST /system/secrets first");
      }
      mounts.add(
          new ContainerSpecSecret()
              .withSecretId(secret.id())
              .withSecretName(secret.dockerName())
              .withFile(
                  new ContainerSpecFile()
                      .withName(SECRETS_DIR + name)
                      .withUid(settings.secretUid())
                      .withGid(settings.secretUid())
                      .withMode(0400L)));
    }
    return mounts;
  }

  /** The task: the container on the functions' network, restarted, placed, limited. */
  private static TaskSpec task(
      FunctionDeployment d, SwarmSettings settings, ContainerSpec container) {
    TaskSpec task =
        new TaskSpec()
            .withContainerSpec(container)
            .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(settings.network())))
            .withRestartPolicy(
                new ServiceRestartPolicy()
                    .withCondition(ServiceRestartCondition.ANY)
                    .withDelay(settings.restartDelay().toNanos()))
            .withPlacement(new ServicePlacement().withConstraints(d.constraints()));
    ResourceRequirements resources = resources(d.limits(), d.requests());
    if (resources != null) {
      task.withResources(resources);
    }
    return task;
  }

  private static ResourceRequirements resources(Resources limits, Resources requests) {
    ResourceSpecs l = specs(limits);
    ResourceSpecs r = specs(requests);
    if (l == null && r == null) {
      return null;
    }
    ResourceRequirements req = new ResourceRequirements();
    if (l != null) {
      req.withLimits(l);
    }
    if (r != null) {
      req.withReservations(r);
    }
    return req;
  }

  private static ResourceSpecs specs(Resources resources) {
    if (resources == null) {
      return null;
    }
    Long memory = Quantities.memoryBytes(resources.memory());
    Long cpu = Quantities.nanoCpus(resources.cpu());
    if (memory == null && cpu == null) {
      return null;
    }
    ResourceSpecs s = new ResourceSpecs();
    if (memory != null) {
      s.withMemoryBytes(memory);
    }
    if (cpu != null) {
      s.withNanoCPUs(cpu);
    }
    return s;
  }

  /** True when the service is a function this backend manages. */
  public static boolean isFunction(ServiceSpec spec, SwarmSettings settings) {
    Map<String, String> labels = spec.getLabels() == null ? Map.of() : spec.getLabels();
    return "true".equals(labels.get(FUNCTION_LABEL))
        && (settings.stack().isEmpty() || settings.stack().equals(labels.get(STACK_LABEL)));
  }

  /** The function's name: its name label, else the service name without the stack prefix. */
  public static String functionName(ServiceSpec spec, SwarmSettings settings) {
    Map<String, String> labels = spec.getLabels() == null ? Map.of() : spec.getLabels();
    String name = labels.get(NAME_LABEL);
    if (name != null && !name.isBlank()) {
      return name;
    }
    String service = spec.getName();
    String prefix = settings.stack().isEmpty() ? "" : settings.stack() + "_";
    return service.startsWith(prefix) ? service.substring(prefix.length()) : service;
  }

  /** The desired replicas of a replicated service (0 for any other mode). */
  public static int replicas(ServiceSpec spec) {
    ServiceModeConfig mode = spec.getMode();
    if (mode == null || mode.getReplicated() == null) {
      return 0;
    }
    return (int) mode.getReplicated().getReplicas();
  }

  /** A copy of the spec with another replica count. */
  public static ServiceSpec withReplicas(ServiceSpec spec, int replicas) {
    return spec.withMode(
        new ServiceModeConfig()
            .withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas)));
  }

  /** The deployment a service runs, read back from its spec. */
  public static FunctionDeployment deployment(ServiceSpec spec, SwarmSettings settings) {
    Map<String, String> labels = new TreeMap<>();
    Map<String, String> annotations = new TreeMap<>();
    if (spec.getLabels() != null) {
      spec.getLabels()
          .forEach(
              (k, v) -> {
                if (k.startsWith(ANNOTATION_PREFIX)) {
                  annotations.put(k.substring(ANNOTATION_PREFIX.length()), v);
                } else if (!k.equals(FUNCTION_LABEL)
                    && !k.equals(NAME_LABEL)
                    && !k.equals(STACK_LABEL)
                    && !k.equals(STACK_IMAGE_LABEL)) {
                  labels.put(k, v);
                }
              });
    }
    TaskSpec task = spec.getTaskTemplate();
    ContainerSpec container = task == null ? null : task.getContainerSpec();
    Map<String, String> env = new LinkedHashMap<>();
    String fprocess = container == null ? "" : readEnvironment(container, env);
    List<String> secrets = new ArrayList<>();
    if (container != null && container.getSecrets() != null) {
      container.getSecrets().forEach(s -> secrets.add(secretName(s)));
    }
    List<String> constraints = List.of();
    if (task != null
        && task.getPlacement() != null
        && task.getPlacement().getConstraints() != null) {
      constraints = task.getPlacement().getConstraints();
    }
    ResourceRequirements resources = task == null ? null : task.getResources();
    return new FunctionDeployment(
        functionName(spec, settings),
        container == null ? "" : stripDigest(container.getImage()),
        fprocess,
        env,
        labels,
        annotations,
        secrets,
        constraints,
        resources == null ? null : figures(resources.getLimits()),
        resources == null ? null : figures(resources.getReservations()),
        container != null && Boolean.TRUE.equals(container.getReadOnly()));
  }

  /**
   * Puts the container's environment, less what the backend sets, into {@code env}.
   *
   * @return the value of {@code fprocess}, empty when it has none
   */
  private static String readEnvironment(ContainerSpec container, Map<String, String> env) {
    String fprocess = "";
    if (container.getEnv() == null) {
      return fprocess;
    }
    for (String e : container.getEnv()) {
      int eq = e.indexOf('=');
      String k = eq < 0 ? e : e.substring(0, eq);
      String v = eq < 0 ? "" : e.substring(eq + 1);
      if (FPROCESS.equals(k)) {
        fprocess = v;
      } else if (!SECRET_MOUNT_PATH.equals(k)) {
        env.put(k, v);
      }
    }
    return fprocess;
  }

  private static Resources figures(ResourceSpecs specs) {
    if (specs == null || (specs.getMemoryBytes() == null && specs.getNanoCPUs() == null)) {
      return null;
    }
    String memory = specs.getMemoryBytes() == null ? null : Long.toString(specs.getMemoryBytes());
    String cpu =
        specs.getNanoCPUs() == null
            ? null
            : new java.math.BigDecimal(specs.getNanoCPUs())
                .movePointLeft(9)
                .stripTrailingZeros()
                .toPlainString();
    return new Resources(memory, cpu);
  }

  /**
   * The API name of a mounted secret: its file's name in {@link #SECRETS_DIR}, else (a service made
   * by hand) the Docker secret's name.
   */
  static String secretName(ContainerSpecSecret s) {
    String file = s.getFile() == null ? null : s.getFile().getName();
    if (file != null && file.startsWith(SECRETS_DIR) && file.length() > SECRETS_DIR.length()) {
      return file.substring(SECRETS_DIR.length());
    }
    return s.getSecretName();
  }

  /** {@code docker stack deploy} pins images by digest when it can: report the name given. */
  static String stripDigest(String image) {
    if (image == null) {
      return "";
    }
    int at = image.indexOf('@');
    return at < 0 ? image : image.substring(0, at);
  }
}
