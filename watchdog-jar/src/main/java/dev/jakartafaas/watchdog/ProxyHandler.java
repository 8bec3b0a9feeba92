package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code mode=http}: proxies each request to the function's own HTTP server, streaming both ways. A
 * request whose body is still in hand is retried once if a kept-alive connection turns out stale.
 */
final class ProxyHandler implements FunctionHandler.Invoker {

  static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length",
          "expect");

  /** Methods that may be sent again when a kept-alive connection turns out to be closed. */
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

  private static final int REPLAYABLE_BODY_BYTES = 64 * 1024;
  private static final int BUFFER_BYTES = 16 * 1024;
  private static final ThreadLocal<byte[]> BUFFERS =
      ThreadLocal.withInitial(() -> new byte[BUFFER_BYTES]);

  private final WatchdogConfig config;
  private final UpstreamProcess upstream;

  ProxyHandler(WatchdogConfig config, UpstreamProcess upstream) {
    this.config = config;
    this.upstream = upstream;
  }

  /** Thrown when the client's body goes over {@code max_body_bytes} while it streams. */
  private static final class BodyTooLarge extends IOException {
    BodyTooLarge() {
      super("body too large");
    }
  }

  @Override
  public int invoke(HttpExchange exchange, long contentLength, long deadlineNanos)
      throws IOException {
    long start = System.nanoTime();
    byte[] body = null;
    if (contentLength >= 0 && contentLength <= REPLAYABLE_BODY_BYTES) {
      body = exchange.getRequestBody().readNBytes((int) contentLength);
    }
    byte[] head = requestHead(exchange, contentLength);
    for (int attempt = 0; ; attempt++) {
      UpstreamConnection connection;
      try {
        connection = upstream.acquire();
      } catch (ConnectException e) {
        return fail(exchange, 502, "The function's HTTP server refused the connection.");
      } catch (SocketTimeoutException e) {
        return fail(exchange, 502, "The function's HTTP server did not accept the connection.");
      }
      boolean responding = false;
      try {
        connection.readTimeoutMillis(remainingMillis(deadlineNanos));
        sendRequest(exchange, connection, head, body, contentLength);
        String statusLine = readStatusLine(connection);
        if (statusLine == null) {
          throw new IOException("Upstream closed the connection before answering");
        }
        responding = true;
        boolean reusable = relayResponse(exchange, connection, statusLine, start);
        connection.markUsed();
        if (reusable) {
          upstream.release(connection);
        } else {
          connection.close();
        }
        return statusOf(statusLine);
      } catch (BodyTooLarge e) {
        connection.close();
        return fail(
            exchange,
            413,
            "Request body is over the limit of "
                + config.maxBodyBytes()
                + " bytes (max_body_bytes).");
      } catch (SocketTimeoutException e) {
        connection.close();
        if (responding) {
          throw e;
        }
        exchange
            .getResponseHeaders()
            .set("X-Duration-Seconds", ForkingHandler.seconds(System.nanoTime() - start));
        return fail(
            exchange,
            504,
            "Function did not answer within "
                + FunctionHandler.effectiveTimeout(config).toMillis()
                + " ms (exec_timeout/write_timeout).");
      } catch (IOException e) {
        connection.close();
        if (responding) {
          throw e;
        }
        boolean replayable =
            (body != null || contentLength == 0)
                && IDEMPOTENT.contains(exchange.getRequestMethod());
        if (attempt == 0 && replayable && connection.reused()) {
          continue;
        }
        return fail(exchange, 502, "The function's HTTP server failed: " + e.getMessage());
      }
    }
  }

  private static int fail(HttpExchange exchange, int status, String message) throws IOException {
    Errors.send(exchange, status, message);
    return status;
  }

  private static long remainingMillis(long deadlineNanos) {
    if (deadlineNanos == 0) {
      return 0;
    }
    return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
  }

  private static byte[] requestHead(HttpExchange exchange, long contentLength) {
    URI uri = exchange.getRequestURI();
    StringBuilder head = new StringBuilder(256);
    head.append(exchange.getRequestMethod()).append(' ').append(uri.getRawPath());
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\n");
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      if (HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : header.getValue()) {
        head.append(header.getKey()).append(": ").append(value).append("\r\n");
      }
    }
    if (contentLength >= 0) {
      head.append("Content-Length: ").append(contentLength).append("\r\n");
    } else {
      head.append("Transfer-Encoding: chunked\r\n");
    }
    head.append("\r\n");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private void sendRequest(
      HttpExchange exchange,
      UpstreamConnection connection,
      byte[] head,
      byte[] body,
      long contentLength)
      throws IOException {
    OutputStream out = connection.output();
    out.write(head);
    if (body != null) {
      out.write(body);
    } else if (contentLength > 0) {
      copyExactly(exchange.getRequestBody(), out, contentLength);
    } else if (contentLength < 0) {
      writeChunked(exchange.getRequestBody(), out);
    }
    out.flush();
  }

  private static void copyExactly(InputStream in, OutputStream out, long length)
      throws IOException {
    byte[] buffer = BUFFERS.get();
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("Client body ended early");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private void writeChunked(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = BUFFERS.get();
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (n == 0) {
        continue;
      }
      total += n;
      if (config.maxBodyBytes() > 0 && total > config.maxBodyBytes()) {
        throw new BodyTooLarge();
      }
      Chunked.writeChunk(out, buffer, 0, n);
    }
    Chunked.writeEnd(out);
  }

  /** Skips interim 1xx answers. */
  private static String readStatusLine(UpstreamConnection connection) throws IOException {
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

  /** Copies status, headers and body to the client; true if the connection can be kept. */
  private boolean relayResponse(
      HttpExchange exchange, UpstreamConnection connection, String statusLine, long start)
      throws IOException {
    int status = statusOf(statusLine);
    boolean http10 = statusLine.startsWith("HTTP/1.0");
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
        case "connection" -> {
          String v = value.toLowerCase(Locale.ROOT);
          if (v.contains("close")) {
            close = true;
          } else if (v.contains("keep-alive")) {
            close = false;
          }
        }
        default -> {
          if (!HOP_BY_HOP.contains(lower)) {
            responseHeaders.add(name, value);
          }
        }
      }
    }
    if (line == null) {
      throw new IOException("Upstream closed the connection in its headers");
    }
    responseHeaders.set("X-Duration-Seconds", ForkingHandler.seconds(System.nanoTime() - start));
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    boolean noBody = head || status == 204 || status == 304 || (status >= 100 && status < 200);
    if (noBody) {
      exchange.sendResponseHeaders(status, -1);
      return !close;
    }
    long limit = config.maxOutputBytes();
    if (chunked) {
      exchange.sendResponseHeaders(status, 0);
      relayChunked(connection.input(), exchange.getResponseBody(), limit);
      exchange.getResponseBody().close();
      return !close;
    }
    if (length >= 0) {
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
        copyExactly(connection.input(), out, length);
        out.close();
      }
      return !close;
    }
    exchange.sendResponseHeaders(status, 0);
    OutputStream out = exchange.getResponseBody();
    copyWithLimit(connection.input(), out, limit);
    out.close();
    return false;
  }

  private static long parseLength(String value) throws IOException {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IOException("Upstream sent a bad Content-Length");
    }
  }

  private static void relayChunked(InputStream in, OutputStream out, long limit)
      throws IOException {
    byte[] buffer = BUFFERS.get();
    long total = 0;
    while (true) {
      String sizeLine = readAsciiLine(in);
      long size = Chunked.size(sizeLine);
      if (size < 0) {
        throw new IOException("Upstream sent a bad chunk size");
      }
      if (size == 0) {
        while (!readAsciiLine(in).isEmpty()) {
          // trailers are dropped
        }
        return;
      }
      total += size;
      if (limit > 0 && total > limit) {
        throw new IOException("Function output is over max_output_bytes=" + limit);
      }
      long left = size;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException("Upstream ended in the middle of a chunk");
        }
        out.write(buffer, 0, n);
        left -= n;
      }
      readAsciiLine(in);
    }
  }

  private static void copyWithLimit(InputStream in, OutputStream out, long limit)
      throws IOException {
    byte[] buffer = BUFFERS.get();
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      total += n;
      if (limit > 0 && total > limit) {
        throw new IOException("Function output is over max_output_bytes=" + limit);
      }
      out.write(buffer, 0, n);
    }
  }

  private static String readAsciiLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(16);
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (line.length() > 8192) {
        throw new IOException("Upstream sent an overlong chunk line");
      }
      line.append((char) b);
    }
    if (b < 0) {
      throw new IOException("Upstream ended in the middle of a chunked body");
    }
    int len = line.length();
    return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
  }
}
