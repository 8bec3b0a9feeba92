package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * A request head as {@link Http1Connection} reads it: request line, headers and how the body is
 * framed. Whatever cannot be framed safely (both Content-Length and Transfer-Encoding, conflicting
 * lengths, folded or oversized headers) is refused here with a {@link Http1Server.BadRequest}.
 */
record Http1RequestHead(
    String method,
    URI uri,
    String version,
    Headers headers,
    long contentLength,
    boolean chunked,
    boolean keepAlive,
    boolean expectContinue) {

  static final int MAX_LINE_BYTES = 8 * 1024;
  static final int MAX_HEADER_BYTES = 64 * 1024;
  static final int MAX_HEADERS = 100;

  /** Reads the next request head from {@code connection}. */
  static Http1RequestHead read(Http1Connection connection) throws IOException {
    String requestLine = connection.readLine(MAX_LINE_BYTES);
    while (requestLine != null && requestLine.isEmpty()) {
      requestLine = connection.readLine(MAX_LINE_BYTES); // tolerate a stray CRLF between requests
    }
    if (requestLine == null) {
      throw new IOException("Connection closed before a request line");
    }
    int firstSpace = requestLine.indexOf(' ');
    int lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace == firstSpace) {
      throw new Http1Server.BadRequest(400, "Malformed request line.");
    }
    String method = requestLine.substring(0, firstSpace);
    String target = requestLine.substring(firstSpace + 1, lastSpace);
    String version = requestLine.substring(lastSpace + 1);
    if (!isToken(method) || !version.startsWith("HTTP/")) {
      throw new Http1Server.BadRequest(400, "Malformed request line.");
    }
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw new Http1Server.BadRequest(505, "Only HTTP/1.0 and HTTP/1.1 are supported.");
    }
    return framed(method, target(target), version, readHeaders(connection));
  }

  /** The request target as an origin-form URI (an absolute one loses its scheme and host). */
  private static URI target(String target) throws IOException {
    URI uri;
    try {
      uri = URI.create(target);
    } catch (IllegalArgumentException e) {
      throw new Http1Server.BadRequest(400, "Malformed request target.");
    }
    if (uri.isAbsolute() && uri.getRawPath() != null) {
      String path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      uri = URI.create(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
    }
    if (uri.getRawPath() == null || (!uri.getRawPath().startsWith("/") && !"*".equals(target))) {
      throw new Http1Server.BadRequest(400, "Malformed request target.");
    }
    return uri;
  }

  /** Decides keep-alive and body framing from the headers. */
  private static Http1RequestHead framed(String method, URI uri, String version, Headers headers)
      throws IOException {
    boolean http10 = version.equals("HTTP/1.0");
    String connection = lower(headers.getFirst("Connection"));
    boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
    String transferEncoding = headers.getFirst("Transfer-Encoding");
    List<String> lengths = headers.get("Content-Length");
    if (transferEncoding != null && lengths != null) {
      throw new Http1Server.BadRequest(
          400, "A request may not carry both Content-Length and Transfer-Encoding.");
    }
    long contentLength = 0;
    boolean chunked = false;
    if (transferEncoding != null) {
      if (!"chunked".equals(lower(transferEncoding).trim())
          || headers.get("Transfer-Encoding").size() > 1) {
        throw new Http1Server.BadRequest(501, "Only Transfer-Encoding: chunked is supported.");
      }
      chunked = true;
      contentLength = -1;
    } else if (lengths != null) {
      contentLength = parseLength(lengths);
    }
    boolean expectContinue = "100-continue".equals(lower(headers.getFirst("Expect")));
    return new Http1RequestHead(
        method, uri, version, headers, contentLength, chunked, keepAlive, expectContinue);
  }

  private static Headers readHeaders(Http1Connection connection) throws IOException {
    Headers headers = new Headers();
    int total = 0;
    int count = 0;
    while (true) {
      String line = connection.readLine(MAX_LINE_BYTES);
      if (line == null) {
        throw new IOException("Connection closed in the request headers");
      }
      if (line.isEmpty()) {
        return headers;
      }
      total += line.length() + 2;
      if (++count > MAX_HEADERS || total > MAX_HEADER_BYTES) {
        throw new Http1Server.BadRequest(431, "Request headers are too large.");
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        throw new Http1Server.BadRequest(400, "Folded header lines are not accepted.");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        throw new Http1Server.BadRequest(400, "Malformed header line.");
      }
      String name = line.substring(0, colon);
      String value = line.substring(colon + 1).strip();
      if (value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
        throw new Http1Server.BadRequest(400, "Header " + name + " contains NUL, CR or LF.");
      }
      headers.add(name, value);
    }
  }

  private static long parseLength(List<String> values) throws IOException {
    long length = -1;
    for (String value : values) {
      for (String part : value.split(",")) {
        String digits = part.strip();
        if (digits.isEmpty()
            || digits.length() > 18
            || !digits.chars().allMatch(Character::isDigit)) {
          throw new Http1Server.BadRequest(400, "Content-Length is not a number.");
        }
        long parsed = Long.parseLong(digits);
        if (length >= 0 && parsed != length) {
          throw new Http1Server.BadRequest(400, "Conflicting Content-Length values.");
        }
        length = parsed;
      }
    }
    return length;
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
