package dev.jakartafaas.invocation.control;

import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Set;

/**
 * The HTTP/1.1 head the proxy sends a replica: the caller's method, path and query, the headers
 * that cross the proxy ({@link ForwardedHeaders}), {@code X-Forwarded-For} and {@code -Host}, the
 * call id and start time, and the body's framing.
 */
final class RequestHead {

  private RequestHead() {}

  /**
   * The header lines after {@code Host}, ending with the empty line; the same for every attempt.
   *
   * @param length the body's length, -1 with {@code chunked}
   */
  static String headers(
      Exchange req, String callId, String startTime, long length, boolean chunked, String method) {
    StringBuilder b = new StringBuilder(512);
    Set<String> tokens = ForwardedHeaders.connectionTokens(req.header("Connection"));
    Enumeration<String> names = req.headerNames();
    while (names.hasMoreElements()) {
      String name = names.nextElement();
      if (!ForwardedHeaders.forwardRequest(name, tokens)) {
        continue;
      }
      Enumeration<String> values = req.headers(name);
      while (values.hasMoreElements()) {
        String value = values.nextElement();
        if (ForwardedHeaders.isSafeValue(value)) {
          b.append(name).append(": ").append(value).append("\r\n");
        }
      }
    }
    String forwardedFor = req.header("X-Forwarded-For");
    String peer = req.peerAddress();
    b.append("X-Forwarded-For: ")
        .append(
            forwardedFor == null || !ForwardedHeaders.isSafeValue(forwardedFor)
                ? peer
                : forwardedFor + ", " + peer)
        .append("\r\n");
    String host = req.header("Host");
    if (host != null && req.header("X-Forwarded-Host") == null) {
      b.append("X-Forwarded-Host: ").append(host).append("\r\n");
    }
    b.append(ForwardedHeaders.CALL_ID).append(": ").append(callId).append("\r\n");
    b.append(ForwardedHeaders.START_TIME).append(": ").append(startTime).append("\r\n");
    if (chunked) {
      b.append("Transfer-Encoding: chunked\r\n");
    } else if (length > 0 || !"GET".equals(method) && !"HEAD".equals(method)) {
      b.append("Content-Length: ").append(length).append("\r\n");
    }
    b.append("\r\n");
    return b.toString();
  }

  /** The whole head for one replica: request line, {@code Host}, then {@code headers}. */
  static byte[] bytes(String method, String path, String query, Upstream u, String headers) {
    StringBuilder head = new StringBuilder(headers.length() + 96);
    head.append(method).append(' ').append(path);
    if (query != null) {
      head.append('?').append(query);
    }
    head.append(" HTTP/1.1\r\nHost: ")
        .append(u.address.host())
        .append(':')
        .append(u.address.port())
        .append("\r\n")
        .append(headers);
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
