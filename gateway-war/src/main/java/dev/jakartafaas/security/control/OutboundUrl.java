package dev.jakartafaas.security.control;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A URL the platform will call on a user's behalf, parsed strictly: absolute {@code http} or {@code
 * https}, a host, no user information, a port in range.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the host name or address literal, lower case, IPv6 without brackets
 * @param port the port, the scheme's default when the URL has none
 * @param target the raw path and query to request, at least {@code /}
 */
public record OutboundUrl(String scheme, String host, int port, String target) {

  public static final int MAX_LENGTH = 2048;

  /**
   * Parses a URL.
   *
   * @throws IllegalArgumentException with a one-line reason when it is not a usable URL
   */
  public static OutboundUrl parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the URL is empty");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("the URL is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException("the URL holds a space, control or non-ASCII character");
      }
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the URL is malformed");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "only http and https URLs are called, not '"
              + (scheme.isEmpty() ? "(none)" : scheme)
              + "'");
    }
    if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("the URL has no valid host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("the URL must not hold user information (user@host)");
    }
    int port = uri.getPort();
    if (port == -1) {
      port = scheme.equals("https") ? 443 : 80;
    } else if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the URL's port is out of range");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    return new OutboundUrl(scheme, host, port, target);
  }

  /** The host as it goes into a {@code Host} header: IPv6 in brackets, port when not default. */
  public String authority() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    boolean defaultPort = scheme.equals("https") ? port == 443 : port == 80;
    return defaultPort ? h : h + ":" + port;
  }
}
