package dev.jakartafaas.backend.swarm.control;

import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * The swarm backend's configuration ({@code faas.swarm.*}), read once from MicroProfile Config.
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

  public static final String DOCKER_HOST = "faas.swarm.docker-host";
  public static final String NETWORK = "faas.swarm.network";
  public static final String STACK = "faas.swarm.stack";
  public static final String API_TIMEOUT = "faas.swarm.api-timeout";
  public static final String REFRESH_INTERVAL = "faas.swarm.refresh-interval";
  public static final String WATCHDOG_PORT = "faas.swarm.watchdog-port";
  public static final String HEALTH_TIMEOUT = "faas.swarm.health-timeout";
  public static final String UPDATE_RETRIES = "faas.swarm.update-retries";
  public static final String RESTART_DELAY = "faas.swarm.restart-delay";
  public static final String SECRET_UID = "faas.swarm.secret-uid";

  public static SwarmSettings from(Config config) {
    return new SwarmSettings(
        config.getValue(DOCKER_HOST, String.class).trim(),
        config.getValue(NETWORK, String.class).trim(),
        config.getOptionalValue(STACK, String.class).orElse("").trim(),
        config.getValue(API_TIMEOUT, Duration.class),
        config.getValue(REFRESH_INTERVAL, Duration.class),
        config.getValue(WATCHDOG_PORT, Integer.class),
        config.getValue(HEALTH_TIMEOUT, Duration.class),
        config.getValue(UPDATE_RETRIES, Integer.class),
        config.getValue(RESTART_DELAY, Duration.class),
        config.getValue(SECRET_UID, String.class).trim());
  }

  /** The service name of a function: its own name, prefixed by the stack's when there is one. */
  public String serviceName(String function) {
    return stack.isEmpty() ? function : stack + "_" + function;
  }
}
