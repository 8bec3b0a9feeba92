package dev.jakartafaas.invocation.control;

/**
 * The function and the path after it in an invocation's address, {@code
 * <prefix><name>[.<namespace>][/<path>]}, as {@code /function/} and {@code /async-function/} both
 * take it.
 *
 * @param reference the function as the caller wrote it, {@code name} or {@code name.namespace};
 *     empty when missing
 * @param path the rest, starting with {@code /}; {@code /} when there is none
 */
public record FunctionPath(String reference, String path) {

  /**
   * @param uri the request URI as sent (not decoded)
   * @param contextPath the application's context path
   * @param prefix the route, such as {@code /function/}
   */
  public static FunctionPath parse(String uri, String contextPath, String prefix) {
    int start = contextPath.length() + prefix.length();
    if (uri.length() < start) {
      return new FunctionPath("", "/");
    }
    int slash = uri.indexOf('/', start);
    return slash < 0
        ? new FunctionPath(uri.substring(start), "/")
        : new FunctionPath(uri.substring(start, slash), uri.substring(slash));
  }
}
