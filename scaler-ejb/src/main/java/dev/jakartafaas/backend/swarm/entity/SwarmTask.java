package dev.jakartafaas.backend.swarm.entity;

/**
 * One swarm task as the backend needs it.
 *
 * @param desiredState what swarm wants, e.g. {@code running} or {@code shutdown}
 * @param state what the task is, e.g. {@code starting}, {@code running}, {@code failed}
 * @param address its IP address on the functions' network; empty when it has none yet
 * @param error the engine's error for the task (e.g. {@code task: non-zero exit (1)}, {@code no
 *     suitable node (...)}); empty when it has none
 * @param timestamp when the task's state last changed, as the engine writes it (RFC 3339); empty
 *     when not given
 */
public record SwarmTask(
    String id,
    String serviceId,
    int slot,
    String desiredState,
    String state,
    String address,
    String error,
    String timestamp) {

  /** A task without an error or a timestamp. */
  public SwarmTask(
      String id, String serviceId, int slot, String desiredState, String state, String address) {
    this(id, serviceId, slot, desiredState, state, address, "", "");
  }

  /** Running, meant to keep running, and reachable: a candidate for traffic once healthy. */
  public boolean routable() {
    return "running".equals(desiredState) && "running".equals(state) && !address.isEmpty();
  }
}
