package dev.jakartafaas.functions.control;

import org.eclipse.microprofile.config.Config;

/**
 * The management API's limit on JSON bodies, read once from MicroProfile Config.
 *
 * @param maxJsonBytes the largest JSON body {@code /system/functions}, {@code
 *     /system/scale-function} and {@code /system/alert} read; larger is 400
 */
public record FunctionsSettings(int maxJsonBytes) {

  public static final String MAX_JSON_BYTES = "faas.gateway.max-json-bytes";

  public static FunctionsSettings from(Config config) {
    return new FunctionsSettings(config.getValue(MAX_JSON_BYTES, Integer.class));
  }
}
