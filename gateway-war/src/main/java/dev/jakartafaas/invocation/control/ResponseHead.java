package dev.jakartafaas.invocation.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The status line and headers of a replica's response, and what they say about the body's framing
 * and whether the connection can be reused.
 */
public record ResponseHead(
    int status,
    List<String[]> headers,
    long contentLength,
    boolean chunked,
    boolean keepAlive,
    Set<String> connectionTokens) {

  /**
   * Parses the lines of a response head (status line first, no empty line).
   *
   * @throws IllegalArgumentException if it is not HTTP/1.x
   */
  public static ResponseHead parse(List<String> lines) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("empty response head");
    }
    String statusLine = lines.get(0);
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
      throw new IllegalArgumentException("not an HTTP/1.x status line: " + statusLine);
    }
    boolean http10 = statusLine.charAt(7) == '0';
    int status;
    try {
      status = Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad status code in: " + statusLine);
    }
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("bad status code in: " + statusLine);
    }
    List<String[]> headers = new ArrayList<>(lines.size());
    long contentLength = -1;
    boolean chunked = false;
    String connection = null;
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("bad header line: " + line);
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      headers.add(new String[] {name, value});
      if (name.equalsIgnoreCase("content-length")) {
        try {
          long cl = Long.parseLong(value);
          if (cl < 0 || (contentLength >= 0 && contentLength != cl)) {
            throw new IllegalArgumentException("bad Content-Length: " + value);
          }
          contentLength = cl;
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad Content-Length: " + value);
        }
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
      } else if (name.equalsIgnoreCase("connection")) {
        connection = connection == null ? value : connection + "," + value;
      }
    }
    if (chunked) {
      contentLength = -1;
    }
    Set<String> tokens = ForwardedHeaders.connectionTokens(connection);
    boolean keepAlive = http10 ? tokens.contains("keep-alive") : !tokens.contains("close");
    return new ResponseHead(status, headers, contentLength, chunked, keepAlive, tokens);
  }

  /** True when the response has no body whatever its headers say (RFC 9112 section 6.3). */
  public boolean bodyless(String requestMethod) {
    return "HEAD".equals(requestMethod) || status < 200 || status == 204 || status == 304;
  }

  /** True when the body ends only when the connection closes. */
  public boolean delimitedByClose(String requestMethod) {
    return !bodyless(requestMethod) && !chunked && contentLength < 0;
  }
}
