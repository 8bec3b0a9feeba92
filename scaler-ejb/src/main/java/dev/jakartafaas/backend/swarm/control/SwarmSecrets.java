package dev.jakartafaas.backend.swarm.control;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.jakartafaas.backend.swarm.entity.SwarmSecret;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.problems.entity.BackendUnavailableException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.SecretExistsException;
import dev.jakartafaas.problems.entity.SecretInUseException;
import dev.jakartafaas.problems.entity.SecretNotFoundException;
import dev.jakartafaas.secrets.entity.Secret;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The swarm backend's secrets as versioned Docker secrets ({@link SecretSpecs}): create, update (a
 * new version, the services re-pointed to it), delete, and the current version of each for a
 * deployment. One change at a time, so two changes of one secret do not interleave.
 */
final class SwarmSecrets {

  private static final Logger LOG = Logger.getLogger(SwarmSecrets.class.getName());

  private final SwarmSettings settings;
  private final DockerEngine engine;
  private final ServiceChanges services;
  private final Object lock = new Object();

  SwarmSecrets(SwarmSettings settings, DockerEngine engine, ServiceChanges services) {
    this.settings = settings;
    this.engine = engine;
    this.services = services;
  }

  /** The current version of each secret the deployment names that exists. */
  Map<String, SwarmSecret> of(FunctionDeployment d) {
    if (d.secrets().isEmpty()) {
      return Map.of();
    }
    return SecretSpecs.current(engine.platformSecrets());
  }

  /** The platform's secrets' names, sorted; never their values. */
  List<String> names() {
    return SecretSpecs.names(engine.platformSecrets());
  }

  /**
   * Creates a secret as a Docker secret (version 1).
   *
   * @throws SecretExistsException if the name is taken
   */
  void create(Secret secret) {
    synchronized (lock) {
      if (!SecretSpecs.versions(engine.platformSecrets(), secret.name()).isEmpty()) {
        throw SecretExistsException.of(secret.name());
      }
      String dockerName = SecretSpecs.dockerName(secret.name(), 1, settings);
      try {
        engine.createSecret(
            dockerName, SecretSpecs.labels(secret.name(), 1, settings), secret.value());
      } catch (ConflictException e) {
        throw new SecretExistsException(
            "secret "
                + secret.name()
                + " cannot be created: a Docker secret named "
                + dockerName
                + " exists that the platform does not manage");
      }
    }
    LOG.info(() -> "secret " + secret.name() + " created");
  }

  /**
   * Replaces a secret's value: Docker secrets cannot change, so this creates the next version,
   * re-points every function service that mounts the secret (a rolling update: its replicas are
   * replaced one by one, and each new one reads the new value; until replaced, a running replica
   * keeps reading the old one), then removes the older versions. An older version the engine still
   * refuses to remove stays, unlisted and unused, until the next update or delete of the secret.
   *
   * @throws SecretNotFoundException if there is no such secret
   */
  void update(Secret secret) {
    String name = secret.name();
    synchronized (lock) {
      List<SwarmSecret> versions = SecretSpecs.versions(engine.platformSecrets(), name);
      if (versions.isEmpty()) {
        throw SecretNotFoundException.of(name);
      }
      SwarmSecret newer = createVersion(secret, versions.get(versions.size() - 1).version() + 1);
      for (String function : usersOf(name)) {
        try {
          services.change(
              function,
              current ->
                  SecretSpecs.repoint(current.getSpec(), name, newer).orElse(current.getSpec()));
        } catch (FunctionNotFoundException e) {
          // removed meanwhile: nothing to re-point
        }
      }
      for (SwarmSecret old : versions) {
        try {
          engine.removeSecret(old);
        } catch (NotFoundException e) {
          // already gone
        } catch (RuntimeException e) {
          LOG.warning(
              "secret "
                  + name
                  + ": the older version "
                  + old.dockerName()
                  + " stays for now: "
                  + e.getMessage());
        }
      }
    }
    LOG.info(() -> "secret " + name + " updated");
  }

  private SwarmSecret createVersion(Secret secret, int version) {
    String dockerName = SecretSpecs.dockerName(secret.name(), version, settings);
    try {
      String id =
          engine.createSecret(
              dockerName, SecretSpecs.labels(secret.name(), version, settings), secret.value());
      return new SwarmSecret(secret.name(), id, dockerName, version);
    } catch (ConflictException e) {
      throw new BackendUnavailableException(
          "secret "
              + secret.name()
              + " cannot be updated: a Docker secret named "
              + dockerName
              + " exists");
    }
  }

  /**
   * Deletes every version of a secret that no function names.
   *
   * @throws SecretInUseException if a function names it (the engine refuses too)
   * @throws SecretNotFoundException if there is no such secret
   */
  void remove(String name) {
    synchronized (lock) {
      List<SwarmSecret> versions = SecretSpecs.versions(engine.platformSecrets(), name);
      if (versions.isEmpty()) {
        throw SecretNotFoundException.of(name);
      }
      List<String> users = usersOf(name);
      if (!users.isEmpty()) {
        throw SecretInUseException.usedBy(name, users);
      }
      for (SwarmSecret v : versions) {
        try {
          engine.removeSecret(v);
        } catch (NotFoundException e) {
          // already gone
        }
      }
    }
    LOG.info(() -> "secret " + name + " deleted");
  }

  /** The functions whose deployments name the secret, sorted. */
  private List<String> usersOf(String secret) {
    return engine.functionServices().stream()
        .map(s -> ServiceSpecs.deployment(s.getSpec(), settings))
        .filter(d -> d.secrets().contains(secret))
        .map(FunctionDeployment::service)
        .sorted()
        .toList();
  }
}
