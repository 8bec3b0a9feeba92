package dev.jakartafaas.backend.boundary;

import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.problems.entity.FunctionExistsException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.InvalidInputException;
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
   * Deploys a new function with one replica.
   *
   * @throws FunctionExistsException if the name is taken
   * @throws InvalidInputException if this backend cannot run it
   */
  FunctionState deploy(FunctionDeployment deployment);

  /**
   * Replaces a function's deployment, keeping its replica count; replicas are replaced one by one.
   *
   * @throws FunctionNotFoundException if it is not deployed
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
   * Recent output lines of the function's replicas, oldest first.
   *
   * @param tail at most this many of the newest lines; negative for all kept
   * @param since only lines at or after this instant; null for all
   */
  List<LogLine> logs(String name, int tail, Instant since);
}
