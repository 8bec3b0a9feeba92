package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.problems.entity.SecretExistsException;
import dev.jakartafaas.problems.entity.SecretInUseException;
import dev.jakartafaas.problems.entity.SecretNotFoundException;
import dev.jakartafaas.secrets.entity.Secret;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The process backend's secrets: the {@link SecretStore} and the lock that keeps a secret from
 * being deleted between the check that a deployment's secrets exist and the function's
 * registration, or changed by two requests at once.
 */
final class ProcessSecrets {

  private static final Logger LOG = Logger.getLogger(ProcessSecrets.class.getName());

  private final SecretStore store;
  private final Object lock = new Object();

  ProcessSecrets(Path dataDir) {
    this.store = new SecretStore(dataDir);
  }

  void open() {
    store.open();
  }

  /** The files replicas get their copies from, and the values masked in what replicas print. */
  SecretStore store() {
    return store;
  }

  /** The names of the stored secrets, sorted. */
  List<String> names() {
    return store.names();
  }

  /**
   * Checks that every secret the deployment names exists and, with the lock still held, runs {@code
   * register}, so that none of them can be deleted in between.
   *
   * @throws InvalidInputException naming the first secret that does not exist
   */
  <T> T whileNamedSecretsExist(FunctionDeployment d, Supplier<T> register) {
    synchronized (lock) {
      for (String name : d.secrets()) {
        if (!store.exists(name)) {
          throw new InvalidInputException(
              "secret "
                  + FunctionNames.printable(name)
                  + " named in 'secrets' does not exist; create it with POST /system/secrets"
                  + " first");
        }
      }
      return register.get();
    }
  }

  /**
   * Stores a new secret; replicas started from now on that name it get it.
   *
   * @throws SecretExistsException if the name is taken
   */
  void create(Secret secret) {
    synchronized (lock) {
      if (store.exists(secret.name())) {
        throw SecretExistsException.of(secret.name());
      }
      store.write(secret.name(), secret.value());
    }
    LOG.info(() -> "secret " + secret.name() + " created");
  }

  /**
   * Replaces a secret's value. Replicas started from now on get the new value; running replicas
   * keep the copy they started with until they are replaced (an update of the function replaces
   * them).
   *
   * @throws SecretNotFoundException if there is no such secret
   */
  void update(Secret secret) {
    synchronized (lock) {
      if (!store.exists(secret.name())) {
        throw SecretNotFoundException.of(secret.name());
      }
      store.write(secret.name(), secret.value());
    }
    LOG.info(() -> "secret " + secret.name() + " updated");
  }

  /**
   * Deletes a secret that none of the deployed functions names.
   *
   * @throws SecretInUseException if a function names it
   * @throws SecretNotFoundException if there is no such secret
   */
  void remove(String name, Collection<FunctionReplicas> deployed) {
    synchronized (lock) {
      if (!store.exists(name)) {
        throw SecretNotFoundException.of(name);
      }
      List<String> users =
          deployed.stream()
              .filter(fr -> fr.state().deployment().secrets().contains(name))
              .map(fr -> fr.name)
              .sorted()
              .toList();
      if (!users.isEmpty()) {
        throw SecretInUseException.usedBy(name, users);
      }
      store.delete(name);
    }
    LOG.info(() -> "secret " + name + " deleted");
  }
}
