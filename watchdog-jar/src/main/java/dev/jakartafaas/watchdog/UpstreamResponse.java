package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * The function's answer in {@code mode=http} as {@link ProxyHandler} relays it: status line
 * (interim 1xx skipped), headers without the hop-by-hop ones, and the body in the framing the
 * function chose, within {@code max_output_bytes}.
 */
final class UpstreamResponse {

  private UpstreamResponse() {}

  /** How the function framed its body and whether it keeps the connection. */
  private record Framing(long length, boolean chunked, boolean close) {}

  /** The first final status line (interim 1xx answers skipped); null if the function closed. */
  static String readStatusLine(UpstreamConnection connection) throws IOException {
    while (true) {
      String line = connection.readLine();
      if (line == null) {
        return null;
      }
      int status = statusOf(line);
      if (status >= 200 || status == 101) {
        return line;
      }
      while (true) {
        String header = connection.readLine();
        if (header == null || header.isEmpty()) {
          break;
        }
      }
    }
  }

  static int statusOf(String statusLine) throws IOException {
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
      throw new IOException("Upstream sent no HTTP status line");
    }
    try {
      return Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("Upstream sent a bad status line");
    }
  }

  /**
   * Copies headers and body after {@code statusLine} to the client; true if the connection can be
   * kept. {@code start} is when the request began, for {@code X-Duration-Seconds}.
   */
  static boolean relay(
      HttpExchange exchange,
      UpstreamConnection connection,
      String statusLine,
      long start,
      long limit)
      throws IOException {
    int status = statusOf(statusLine);
    Framing framing = readHeaders(connection, statusLine.startsWith("HTTP/1.0"), exchange);
    exchange
        .getResponseHeaders()
        .set("X-Duration-Seconds", ForkingHandler.seconds(System.nanoTime() - start));
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    boolean noBody = head || status == 204 || status == 304 || (status >= 100 && status < 200);
    if (noBody) {
      exchange.sendResponseHeaders(status, -1);
      return !framing.close();
    }
    if (framing.chunked()) {
      exchange.sendResponseHeaders(status, 0);
      BodyCopy.fromChunks(connection.input(), exchange.getResponseBody(), limit);
      exchange.getResponseBody().close();
      return !framing.close();
    }
    if (framing.length() >= 0) {
      return relayFixed(exchange, connection, status, framing, limit);
    }
    exchange.sendResponseHeaders(status, 0);
    OutputStream out = exchange.getResponseBody();
    BodyCopy.untilEnd(connection.input(), out, limit);
    out.close();
    return false;
  }

  private static boolean relayFixed(
      HttpExchange exchange, UpstreamConnection connection, int status, Framing framing, long limit)
      throws IOException {
    long length = framing.length();
    if (limit > 0 && length > limit) {
      connection.close();
      Errors.send(
          exchange,
          502,
          "Function output of "
              + length
              + " bytes is over the limit of "
              + limit
              + " bytes (max_output_bytes).");
      return false;
    }
    exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    if (length > 0) {
      OutputStream out = exchange.getResponseBody();
      BodyCopy.exactly(connection.input(), out, length);
      out.close();
    }
    return !framing.close();
  }

  /** Reads the function's headers, passing the end-to-end ones to the client's answer. */
  private static Framing readHeaders(
      UpstreamConnection connection, boolean http10, HttpExchange exchange) throws IOException {
    long length = -1;
    boolean chunked = false;
    boolean close = http10;
    Headers responseHeaders = exchange.getResponseHeaders();
    String line;
    while ((line = connection.readLine()) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      String lower = name.toLowerCase(Locale.ROOT);
      switch (lower) {
        case "content-length" -> length = parseLength(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = keepsOrCloses(value, close);
        default -> {
          if (!ProxyHandler.HOP_BY_HOP.contains(lower)) {
            responseHeaders.add(name, value);
          }
        }
      }
    }
    if (line == null) {
      throw new IOException("Upstream closed the connection in its headers");
    }
    return new Framing(length, chunked, close);
  }

  /** The effect of one Connection header on whether the connection closes. */
  private static boolean keepsOrCloses(String value, boolean close) {
    String v = value.toLowerCase(Locale.ROOT);
    if (v.contains("close")) {
      return true;
    }
    return v.contains("keep-alive") ? false : close;
  }

  private static long parseLength(String value) throws IOException {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IOException("Upstream sent a bad Content-Length");
    }
  }
}
