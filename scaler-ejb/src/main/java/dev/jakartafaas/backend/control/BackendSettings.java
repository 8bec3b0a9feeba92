package dev.jakartafaas.backend.control;

import org.eclipse.microprofile.config.Config;

/**
 * Which backend runs replicas ({@code faas.backend}).
 *
 * @param kind {@code process} or {@code swarm}
 */
public record BackendSettings(String kind) {

  public static final String KIND = "faas.backend";

  public static BackendSettings from(Config config) {
    return new BackendSettings(config.getValue(KIND, String.class).trim());
  }
}
