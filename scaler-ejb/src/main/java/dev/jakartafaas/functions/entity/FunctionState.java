package dev.jakartafaas.functions.entity;

import dev.jakartafaas.backend.entity.FunctionProblem;
import java.time.Instant;

/**
 * A deployed function as a backend knows it: its deployment, the replicas wanted and ready, and why
 * replicas fail, if they do.
 *
 * @param replicas the desired number of replicas
 * @param availableReplicas the replicas ready to take requests
 * @param problem why its replicas do not get ready; null while nothing fails
 */
public record FunctionState(
    FunctionDeployment deployment,
    int replicas,
    int availableReplicas,
    Instant createdAt,
    FunctionProblem problem) {

  /** A function with no known problem. */
  public FunctionState(
      FunctionDeployment deployment, int replicas, int availableReplicas, Instant createdAt) {
    this(deployment, replicas, availableReplicas, createdAt, null);
  }

  public String name() {
    return deployment.service();
  }
}
