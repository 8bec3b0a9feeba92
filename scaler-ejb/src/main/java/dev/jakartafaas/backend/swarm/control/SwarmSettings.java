package dev.jakartafaas.backend.swarm.control;

import java.time.Duration;

/**
 * The swarm backend's configuration ({@code faas.swarm.*}).
 *
 * @param dockerHost the Docker API endpoint, e.g. {@code unix:///var/run/docker.sock}
 * @param network the overlay network functions are attached to and reached on
 * @param stack when not empty, only services of this stack are managed and new ones join it
 * @param apiTimeout how long one Docker API call may take before the backend reports 503
 * @param refreshInterval how often task addresses are read
 * @param watchdogPort the port the watchdog listens on inside each task
 * @param healthTimeout connect and read timeout of one health probe
 * @param updateRetries attempts of a service update that meets "update out of sequence"
 * @param restartDelay how long swarm waits before replacing a task that exited
 * @param secretUid the uid and gid owning the secret files in function containers (mode 0400)
 */
public record SwarmSettings(
    String dockerHost,
    String network,
    String stack,
    Duration apiTimeout,
    Duration refreshInterval,
    int watchdogPort,
    Duration healthTimeout,
    int updateRetries,
    Duration restartDelay,
    String secretUid) {

  /** The service name of a function: its own name, prefixed by the stack's when there is one. */
  public String serviceName(String function) {
    return stack.isEmpty() ? function : stack + "_" + function;
  }
}
