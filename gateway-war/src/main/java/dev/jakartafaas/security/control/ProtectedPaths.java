package dev.jakartafaas.security.control;

/**
 * Which paths need credentials: everything, except invocations ({@code /function/...} and {@code
 * /async-function/...}), {@code /healthz} and {@code /metrics} unless configured otherwise. Denying
 * by default keeps a route added later protected. Paths are the container's decoded, normalised
 * ones (servlet path plus path info), so {@code /function/../system} has already become {@code
 * /system}.
 */
public record ProtectedPaths(boolean functions, boolean healthz, boolean metrics) {

  public boolean requiresCredentials(String path) {
    if (isUnder(path, "/function") || isUnder(path, "/async-function")) {
      return functions;
    }
    if (path.equals("/healthz")) {
      return healthz;
    }
    if (isUnder(path, "/metrics")) {
      return metrics;
    }
    return true;
  }

  private static boolean isUnder(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}
