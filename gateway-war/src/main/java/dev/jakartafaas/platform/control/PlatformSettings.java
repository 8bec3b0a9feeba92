package dev.jakartafaas.platform.control;

import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * The deadline of every request body, read once from MicroProfile Config.
 *
 * @param readTimeout longest time a request body may take to arrive, from when the gateway begins
 *     reading it; zero for no limit
 */
public record PlatformSettings(Duration readTimeout) {

  public static final String READ_TIMEOUT = "faas.gateway.read-timeout";

  public static PlatformSettings from(Config config) {
    return new PlatformSettings(config.getValue(READ_TIMEOUT, Duration.class));
  }
}
