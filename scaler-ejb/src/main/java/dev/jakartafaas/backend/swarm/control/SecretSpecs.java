package dev.jakartafaas.backend.swarm.control;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import dev.jakartafaas.backend.swarm.entity.SwarmSecret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The swarm backend's secrets as Docker secrets: their labels and names, and which versions are
 * current. Docker secrets cannot change, so an update creates the next version ({@code
 * <name>.v<n>}, a dot no API name contains) and re-points the services that use the secret.
 */
public final class SecretSpecs {

  /** Every Docker secret the platform created carries it; no other is listed or mounted. */
  public static final String SECRET_LABEL = "com.openfaas.secret";

  /** The secret's API name (the Docker name may carry a stack prefix and a version). */
  public static final String NAME_LABEL = "com.openfaas.secret.name";

  /** 1 when created, one more with every update. */
  public static final String VERSION_LABEL = "com.openfaas.secret.version";

  private SecretSpecs() {}

  /** The label filter of the platform's Docker secrets (of the stack, if set). */
  public static Map<String, String> filter(SwarmSettings settings) {
    Map<String, String> f = new TreeMap<>();
    f.put(SECRET_LABEL, "true");
    if (!settings.stack().isEmpty()) {
      f.put(ServiceSpecs.STACK_LABEL, settings.stack());
    }
    return f;
  }

  /** The labels of a secret's version. */
  public static Map<String, String> labels(String name, int version, SwarmSettings settings) {
    Map<String, String> l = filter(settings);
    l.put(NAME_LABEL, name);
    l.put(VERSION_LABEL, Integer.toString(version));
    return l;
  }

  /** The Docker name of a version: named like the functions' services, {@code .v<n>} after 1. */
  public static String dockerName(String name, int version, SwarmSettings settings) {
    String base = settings.serviceName(name);
    return version <= 1 ? base : base + ".v" + version;
  }

  /**
   * The platform secret a Docker secret is, from its id, name and labels; empty when it is not the
   * platform's (or another stack's).
   */
  public static Optional<SwarmSecret> read(
      String id, String dockerName, Map<String, String> labels, SwarmSettings settings) {
    if (labels == null || !"true".equals(labels.get(SECRET_LABEL))) {
      return Optional.empty();
    }
    if (!settings.stack().isEmpty()
        && !settings.stack().equals(labels.get(ServiceSpecs.STACK_LABEL))) {
      return Optional.empty();
    }
    String name = labels.get(NAME_LABEL);
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    int version;
    try {
      version = Integer.parseInt(labels.getOrDefault(VERSION_LABEL, "1"));
    } catch (NumberFormatException e) {
      version = 1;
    }
    return Optional.of(new SwarmSecret(name, id, dockerName, version));
  }

  /** The API names, sorted, each once (an update may leave an older version for a while). */
  public static List<String> names(Collection<SwarmSecret> secrets) {
    TreeSet<String> names = new TreeSet<>();
    secrets.forEach(s -> names.add(s.name()));
    return List.copyOf(names);
  }

  /** The newest version of each secret, by name. */
  public static Map<String, SwarmSecret> current(Collection<SwarmSecret> secrets) {
    Map<String, SwarmSecret> current = new TreeMap<>();
    for (SwarmSecret s : secrets) {
      current.merge(s.name(), s, (a, b) -> a.version() >= b.version() ? a : b);
    }
    return current;
  }

  /** Every version of the named secret, oldest first. */
  public static List<SwarmSecret> versions(Collection<SwarmSecret> secrets, String name) {
    return secrets.stream()
        .filter(s -> s.name().equals(name))
        .sorted(Comparator.comparingInt(SwarmSecret::version))
        .toList();
  }

  /**
   * The service spec with the secret's mount pointing at another version; empty when the service
   * does not mount the secret (or already mounts that version).
   */
  public static Optional<ServiceSpec> repoint(ServiceSpec spec, String name, SwarmSecret version) {
    TaskSpec task = spec.getTaskTemplate();
    ContainerSpec container = task == null ? null : task.getContainerSpec();
    if (container == null || container.getSecrets() == null) {
      return Optional.empty();
    }
    boolean changed = false;
    List<ContainerSpecSecret> secrets = new ArrayList<>();
    for (ContainerSpecSecret s : container.getSecrets()) {
      if (name.equals(ServiceSpecs.secretName(s)) && !version.id().equals(s.getSecretId())) {
        secrets.add(
            new ContainerSpecSecret()
                .withSecretId(version.id())
                .withSecretName(version.dockerName())
                .withFile(s.getFile()));
        changed = true;
      } else {
        secrets.add(s);
      }
    }
    if (!changed) {
      return Optional.empty();
    }
    container.withSecrets(secrets);
    return Optional.of(spec);
  }
}
