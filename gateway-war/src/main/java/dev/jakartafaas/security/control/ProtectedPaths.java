package dev.jakartafaas.security.control;

/**
 * Which paths need credentials: everything, except invocations ({@code /function/...} and {@code
 * /async-function/...}) and {@code /healthz} unless configured otherwise. Denying by default keeps
 * a route added later protected. Paths are the container's decoded, normalised ones (servlet path
 * plus path info), so {@code /function/../system} has already become {@code /system}.
 */
public record ProtectedPaths(boolean functions, boolean healthz) {

  public boolean requiresCredentials(String path) {
    if (isUnder(path, "/function") || isUnder(path, "/async-function")) {
      return functions;
    }
    if (path.equals("/healthz")) {
      return healthz;
    }
    return true;
  }

  private static boolean isUnder(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}
