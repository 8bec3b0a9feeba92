package dev.jakartafaas.watchdog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the function's environment from the watchdog's own and the request, as the classic
 * watchdog does: each header becomes {@code Http_<Name>} with its first value, and the platform
 * adds method, decoded path, raw query, host and content length (under both of the classic's names;
 * -1 for a chunked body, 0 without a body). Headers can only ever add {@code Http_} variables, and
 * never replace the platform's.
 */
final class CgiEnvironment {

  static final Set<String> PLATFORM_NAMES =
      Set.of(
          "Http_Method",
          "Http_Path",
          "Http_Query",
          "Http_Host",
          "Http_ContentLength",
          "Http_Content_Length");

  private static final Pattern SAFE_NAME = Pattern.compile("Http_[A-Za-z0-9_]+");

  private CgiEnvironment() {}

  /**
   * The request facts the platform sets, whatever the headers say.
   *
   * @param path the path as sent, percent-encoded
   * @param contentLength the body's length; for a chunked body, whatever was counted
   */
  record Request(String method, String path, String query, String host, long contentLength) {}

  static Map<String, String> build(
      Map<String, String> base, Request request, Map<String, List<String>> headers) {
    Map<String, String> env = new HashMap<>(base.size() + headers.size() + 8);
    env.putAll(base);
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      String name = variableName(header.getKey());
      if (name != null && !PLATFORM_NAMES.contains(name) && !header.getValue().isEmpty()) {
        env.put(name, header.getValue().get(0));
      }
    }
    env.put("Http_Method", request.method());
    // a chunked body's length is unknown to the function, as with the classic watchdog
    String length =
        hasHeader(headers, "Transfer-Encoding") ? "-1" : Long.toString(request.contentLength());
    env.put("Http_ContentLength", length);
    env.put("Http_Content_Length", length);
    putIfPresent(env, "Http_Path", request.path() == null ? null : decodePath(request.path()));
    putIfPresent(env, "Http_Query", request.query());
    putIfPresent(env, "Http_Host", request.host());
    return env;
  }

  /**
   * {@code Content-Type} becomes {@code Http_Content_Type}; a header whose name would give anything
   * but letters, digits and underscores after {@code Http_} gives {@code null} and is left out. So
   * are {@code Proxy} ("httpoxy": {@code Http_Proxy} is read as {@code http_proxy} by clients that
   * match proxy variables without regard to case, such as Python's urllib) and names holding {@code
   * _}, which would pass for the variable of a hyphenated header ({@code X-Forwarded_For} beside
   * {@code X-Forwarded-For}).
   */
  static String variableName(String headerName) {
    if (headerName.indexOf('_') >= 0 || headerName.equalsIgnoreCase("Proxy")) {
      return null;
    }
    StringBuilder name = new StringBuilder(headerName.length() + 5).append("Http_");
    boolean upper = true;
    for (int i = 0; i < headerName.length(); i++) {
      char c = headerName.charAt(i);
      if (c == '-') {
        name.append('_');
        upper = true;
      } else {
        name.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
        upper = false;
      }
    }
    String result = name.toString();
    return SAFE_NAME.matcher(result).matches() ? result : null;
  }

  /** The name of the first header whose name or value holds NUL, CR or LF, or {@code null}. */
  static String firstUnsafeHeader(Map<String, List<String>> headers) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (hasControl(header.getKey())) {
        return header.getKey();
      }
      for (String value : header.getValue()) {
        if (hasControl(value)) {
          return header.getKey();
        }
      }
    }
    return null;
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\0' || c == '\r' || c == '\n') {
        return true;
      }
    }
    return false;
  }

  private static boolean hasHeader(Map<String, List<String>> headers, String name) {
    for (String key : headers.keySet()) {
      if (key.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The path with its percent escapes decoded as UTF-8 ({@code /p%20q/r%2Fs} is {@code /p q/r/s});
   * {@code +} stays. The server has refused malformed escapes already; one left is kept as sent.
   */
  static String decodePath(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    int i = 0;
    while (i < raw.length()) {
      int hi = raw.charAt(i) == '%' ? hex(raw, i + 1) : -1;
      int lo = hi >= 0 ? hex(raw, i + 2) : -1;
      if (lo >= 0) {
        bytes.write(hi * 16 + lo);
        i += 3;
      } else {
        int cp = raw.codePointAt(i);
        bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(String s, int at) {
    return at < s.length() ? Character.digit(s.charAt(at), 16) : -1;
  }

  private static void putIfPresent(Map<String, String> env, String name, String value) {
    if (value != null && !value.isEmpty()) {
      env.put(name, value);
    } else {
      env.remove(name);
    }
  }
}
