package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
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

  private final WatchdogConfig config;
  private final UpstreamProcess upstream;

  ProxyHandler(WatchdogConfig config, UpstreamProcess upstream) {
    this.config = config;
    this.upstream = upstream;
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
    boolean replayable =
        (body != null || contentLength == 0) && IDEMPOTENT.contains(exchange.getRequestMethod());
    for (int attempt = 0; ; attempt++) {
      UpstreamConnection connection;
      try {
        connection = upstream.acquire();
      } catch (ConnectException e) {
        return fail(exchange, 502, "The function's HTTP server refused the connection.");
      } catch (SocketTimeoutException e) {
        return fail(exchange, 502, "The function's HTTP server did not accept the connection.");
      }
      String statusLine;
      try {
        statusLine = send(exchange, connection, head, body, contentLength, deadlineNanos);
      } catch (IOException e) {
        connection.close();
        if (attempt == 0 && replayable && connection.reused() && mayBeStale(e)) {
          continue;
        }
        return unanswered(exchange, e, start);
      }
      return relay(exchange, connection, statusLine, start);
    }
  }

  /** Sends the request and reads the status line of the answer. */
  private String send(
      HttpExchange exchange,
      UpstreamConnection connection,
      byte[] head,
      byte[] body,
      long contentLength,
      long deadlineNanos)
      throws IOException {
    connection.readTimeoutMillis(remainingMillis(deadlineNanos));
    sendRequest(exchange, connection, head, body, contentLength);
    String statusLine = UpstreamResponse.readStatusLine(connection);
    if (statusLine == null) {
      throw new IOException("Upstream closed the connection before answering");
    }
    return statusLine;
  }

  /** A failure that a kept-alive connection closed by the function could explain. */
  private static boolean mayBeStale(IOException e) {
    return !(e instanceof BodyCopy.BodyTooLarge) && !(e instanceof SocketTimeoutException);
  }

  /** Answers the client when the function gave no status line. */
  private int unanswered(HttpExchange exchange, IOException e, long start) throws IOException {
    if (e instanceof BodyCopy.BodyTooLarge) {
      return fail(
          exchange,
          413,
          "Request body is over the limit of "
              + config.maxBodyBytes()
              + " bytes (max_body_bytes).");
    }
    if (e instanceof SocketTimeoutException) {
      exchange
          .getResponseHeaders()
          .set("X-Duration-Seconds", ForkingHandler.seconds(System.nanoTime() - start));
      return fail(
          exchange,
          504,
          "Function did not answer within "
              + FunctionHandler.effectiveTimeout(config).toMillis()
              + " ms (exec_timeout/write_timeout).");
    }
    return fail(exchange, 502, "The function's HTTP server failed: " + e.getMessage());
  }

  /** Relays the answer; the connection goes back to the pool if the answer left it reusable. */
  private int relay(
      HttpExchange exchange, UpstreamConnection connection, String statusLine, long start)
      throws IOException {
    try {
      boolean reusable =
          UpstreamResponse.relay(exchange, connection, statusLine, start, config.maxOutputBytes());
      connection.markUsed();
      if (reusable) {
        upstream.release(connection);
      } else {
        connection.close();
      }
      return UpstreamResponse.statusOf(statusLine);
    } catch (IOException e) {
      connection.close();
      throw e;
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
      BodyCopy.exactly(exchange.getRequestBody(), out, contentLength);
    } else if (contentLength < 0) {
      BodyCopy.toChunks(exchange.getRequestBody(), out, config.maxBodyBytes());
    }
    out.flush();
  }
}
