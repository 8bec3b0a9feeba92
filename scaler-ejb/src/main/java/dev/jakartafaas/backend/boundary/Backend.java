package dev.jakartafaas.backend.boundary;

import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.LogFollow;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.LogSink;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.problems.entity.FunctionExistsException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.problems.entity.SecretExistsException;
import dev.jakartafaas.problems.entity.SecretInUseException;
import dev.jakartafaas.problems.entity.SecretNotFoundException;
import dev.jakartafaas.secrets.entity.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs functions' replicas and tells where the ready ones listen. Implementations keep the deployed
 * functions themselves, so that they survive a gateway restart.
 */
public interface Backend {

  /** The orchestration name reported by {@code /system/info}: {@code process} or {@code swarm}. */
  String orchestration();

  /**
   * Deploys a new function.
   *
   * @param replicas the replicas it starts with (the caller applies the one rule, {@link
   *     dev.jakartafaas.scaling.control.ScalingPolicy#initialReplicas()})
   * @throws FunctionExistsException if the name is taken
   * @throws InvalidInputException if this backend cannot run it, or a secret it names does not
   *     exist
   */
  FunctionState deploy(FunctionDeployment deployment, int replicas);

  /**
   * Replaces a function's deployment, keeping its replica count; replicas are replaced one by one.
   *
   * @throws FunctionNotFoundException if it is not deployed
   * @throws InvalidInputException if a secret it names does not exist
   */
  FunctionState update(FunctionDeployment deployment);

  /** Stops every replica of the function and forgets it. */
  void remove(String name);

  List<FunctionState> list();

  Optional<FunctionState> find(String name);

  /** Sets the desired number of replicas; the backend starts or stops replicas to match. */
  void scale(String name, int replicas);

  /**
   * The addresses of the function's replicas that passed their health check: the hot path of every
   * invocation, so implementations answer from memory. Empty when the function is unknown.
   */
  Optional<List<ReplicaAddress>> readyReplicas(String name);

  /**
   * Why the function's replicas do not get ready (the last failure, while none has got ready
   * since), answered from memory: calls that wait for a replica ask it often. Empty when nothing
   * fails or the function is unknown.
   */
  Optional<FunctionProblem> problem(String name);

  /**
   * Recent output lines of the function's replicas, oldest first.
   *
   * @param tail at most this many of the newest lines; negative for all kept
   * @param since only lines at or after this instant; null for all
   */
  List<LogLine> logs(String name, int tail, Instant since);

  /**
   * The lines {@link #logs} gives for {@code tail} and {@code since}, then every new line as it
   * comes, into {@code sink}, until the answer is closed or the function goes (then {@link
   * LogSink#end}). No line is lost or repeated between the kept ones and the new ones.
   *
   * @throws FunctionNotFoundException if it is not deployed
   */
  LogFollow followLogs(String name, int tail, Instant since, LogSink sink);

  // Secrets: each backend keeps them its own way (files, Docker secrets) and gives every replica
  // of a function that names one in its deployment's 'secrets' a file of that name. Values never
  // leave the backend except into replicas.

  /** The names of the secrets, sorted; never their values. */
  List<String> secretNames();

  /**
   * Stores a new secret.
   *
   * @throws SecretExistsException if the name is taken
   */
  void createSecret(Secret secret);

  /**
   * Replaces a secret's value; replicas started afterwards get the new value.
   *
   * @throws SecretNotFoundException if there is no such secret
   */
  void updateSecret(Secret secret);

  /**
   * Deletes a secret.
   *
   * @throws SecretNotFoundException if there is no such secret
   * @throws SecretInUseException if a deployed function names it
   */
  void removeSecret(String name);
}
