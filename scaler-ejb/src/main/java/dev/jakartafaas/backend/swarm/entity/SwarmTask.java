package dev.jakartafaas.backend.swarm.entity;

/**
 * One swarm task as the backend needs it.
 *
 * @param desiredState what swarm wants, e.g. {@code running} or {@code shutdown}
 * @param state what the task is, e.g. {@code starting}, {@code running}, {@code failed}
 * @param address its IP address on the functions' network; empty when it has none yet
 */
public record SwarmTask(
    String id, String serviceId, int slot, String desiredState, String state, String address) {

  /** Running, meant to keep running, and reachable: a candidate for traffic once healthy. */
  public boolean routable() {
    return "running".equals(desiredState) && "running".equals(state) && !address.isEmpty();
  }
}
