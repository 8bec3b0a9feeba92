package dev.jakartafaas.functions.entity;

import java.time.Instant;

/**
 * A deployed function as a backend knows it: its deployment, the replicas wanted and ready.
 *
 * @param replicas the desired number of replicas
 * @param availableReplicas the replicas ready to take requests
 */
public record FunctionState(
    FunctionDeployment deployment, int replicas, int availableReplicas, Instant createdAt) {

  public String name() {
    return deployment.service();
  }
}
