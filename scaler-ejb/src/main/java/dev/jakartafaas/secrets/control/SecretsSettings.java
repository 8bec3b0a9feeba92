package dev.jakartafaas.secrets.control;

import org.eclipse.microprofile.config.Config;

/**
 * The secrets' limit, read once from MicroProfile Config.
 *
 * @param maxValueBytes the largest secret value {@code /system/secrets} stores, in bytes
 */
public record SecretsSettings(int maxValueBytes) {

  public static final String MAX_VALUE_BYTES = "faas.secrets.max-value-bytes";

  public static SecretsSettings from(Config config) {
    return new SecretsSettings(config.getValue(MAX_VALUE_BYTES, Integer.class));
  }
}
