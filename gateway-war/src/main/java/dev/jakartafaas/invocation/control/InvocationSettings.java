package dev.jakartafaas.invocation.control;

import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * How the proxy calls replicas and holds requests for a function without one, read once from
 * MicroProfile Config.
 *
 * @param upstreamTimeout longest wait for a replica's answer (and between two reads of it)
 * @param connectTimeout longest wait to open a connection to a replica
 * @param maxIdleConnections idle keep-alive connections kept per replica
 * @param maxBodyBytes largest request body an invocation may send
 * @param coldStartTimeout longest a request waits for a function's first ready replica
 * @param coldStartQueue most requests waiting for a first replica at once
 */
public record InvocationSettings(
    Duration upstreamTimeout,
    Duration connectTimeout,
    int maxIdleConnections,
    long maxBodyBytes,
    Duration coldStartTimeout,
    int coldStartQueue) {

  public static final String UPSTREAM_TIMEOUT = "faas.gateway.upstream-timeout";
  public static final String CONNECT_TIMEOUT = "faas.gateway.connect-timeout";
  public static final String MAX_IDLE_CONNECTIONS = "faas.gateway.max-idle-connections";
  public static final String MAX_BODY_BYTES = "faas.gateway.max-body-bytes";
  public static final String COLD_START_TIMEOUT = "faas.gateway.cold-start-timeout";
  public static final String COLD_START_QUEUE = "faas.gateway.cold-start-queue";

  public static InvocationSettings from(Config config) {
    return new InvocationSettings(
        config.getValue(UPSTREAM_TIMEOUT, Duration.class),
        config.getValue(CONNECT_TIMEOUT, Duration.class),
        config.getValue(MAX_IDLE_CONNECTIONS, Integer.class),
        config.getValue(MAX_BODY_BYTES, Long.class),
        config.getValue(COLD_START_TIMEOUT, Duration.class),
        config.getValue(COLD_START_QUEUE, Integer.class));
  }

  /** The upstream timeout in milliseconds, as a socket takes it. */
  int upstreamMillis() {
    return millis(upstreamTimeout);
  }

  /** The connect timeout in milliseconds, as a socket takes it. */
  int connectMillis() {
    return millis(connectTimeout);
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, d.toMillis()));
  }
}
