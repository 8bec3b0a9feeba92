package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One request and its response on an {@link Http1Connection}, presented as the JDK's {@link
 * HttpExchange} so handlers stay plain {@code HttpHandler}s. Response lengths follow the JDK's
 * convention: positive is fixed, 0 is chunked, -1 is no body.
 */
final class Http1Exchange extends HttpExchange {

  private final Http1Connection connection;
  private final String method;
  private final URI uri;
  private final String protocol;
  private final Headers requestHeaders;
  private final Headers responseHeaders = new Headers();
  private final boolean head;
  private final Http1RequestBody requestBody;
  private final Map<String, Object> attributes = new HashMap<>(2);
  private boolean keepAlive;
  private int responseCode = -1;
  private OutputStream responseBody;
  private boolean finished;

  Http1Exchange(Http1Connection connection, Http1RequestHead head) {
    this.connection = connection;
    this.method = head.method();
    this.uri = head.uri();
    this.protocol = head.version();
    this.requestHeaders = head.headers();
    this.keepAlive = head.keepAlive();
    this.head = "HEAD".equals(method);
    this.requestBody = Http1RequestBody.of(connection, head, this::responseStarted);
  }

  boolean responseStarted() {
    return responseCode != -1;
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return method;
  }

  @Override
  public HttpContext getHttpContext() {
    return null;
  }

  @Override
  public InputStream getRequestBody() {
    return requestBody;
  }

  @Override
  public OutputStream getResponseBody() {
    return responseStream;
  }

  @Override
  public void sendResponseHeaders(int code, long length) throws IOException {
    if (responseCode != -1) {
      throw new IOException("Response headers were sent already");
    }
    responseCode = code;
    boolean bodyless = head || code == 204 || code == 304 || (code >= 100 && code < 200);
    StringBuilder out = Http1ResponseHead.start(protocol, code, responseHeaders);
    if ("close".equalsIgnoreCase(responseHeaders.getFirst("Connection"))
        || !requestBody.nearlyRead()) {
      // The client must not send another request on this connection: either the handler asked
      // for that, or too much of the body is unread to skip it.
      keepAlive = false;
    }
    if (length == 0 && !bodyless && protocol.equals("HTTP/1.0")) {
      keepAlive = false; // HTTP/1.0 has no chunking: the body ends with the connection
    }
    responseBody = frame(out, bodyless, length);
    if (!keepAlive) {
      out.append("Connection: close\r\n");
    } else if (protocol.equals("HTTP/1.0")) {
      out.append("Connection: keep-alive\r\n");
    }
    out.append("\r\n");
    connection.out.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Adds the framing header for {@code length} (JDK convention) and returns the body stream. */
  private OutputStream frame(StringBuilder out, boolean bodyless, long length) {
    if (bodyless) {
      if (head && length > 0) {
        out.append("Content-Length: ").append(length).append("\r\n");
      }
      return OutputStream.nullOutputStream();
    } else if (length > 0) {
      out.append("Content-Length: ").append(length).append("\r\n");
      return Http1ResponseBody.fixed(connection, length, () -> keepAlive = false);
    } else if (length == 0) {
      if (protocol.equals("HTTP/1.1")) {
        out.append("Transfer-Encoding: chunked\r\n");
        return Http1ResponseBody.chunked(connection);
      }
      return Http1ResponseBody.untilClose(connection);
    }
    out.append("Content-Length: 0\r\n");
    return OutputStream.nullOutputStream();
  }

  /**
   * Completes the exchange: unread request body drained (a little) and the response ended. Returns
   * true if the connection can carry another request.
   */
  boolean finish() throws IOException {
    if (finished) {
      return keepAlive;
    }
    finished = true;
    if (responseCode == -1) {
      keepAlive = false;
      byte[] body = "The watchdog sent no response.\n".getBytes(StandardCharsets.UTF_8);
      responseHeaders.set("Content-Type", "text/plain; charset=utf-8");
      responseHeaders.set("X-Faas-Internal", "true");
      sendResponseHeaders(500, body.length);
      responseBody.write(body);
    }
    responseBody.close();
    connection.out.flush();
    if (keepAlive && !Http1Connection.drain(requestBody)) {
      keepAlive = false;
    }
    if (!keepAlive) {
      connection.lingeringClose();
    }
    return keepAlive;
  }

  @Override
  public void close() {
    try {
      finish();
    } catch (IOException e) {
      keepAlive = false;
      connection.close();
    }
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return (InetSocketAddress) connection.socket().getRemoteSocketAddress();
  }

  @Override
  public int getResponseCode() {
    return responseCode;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return (InetSocketAddress) connection.socket().getLocalSocketAddress();
  }

  @Override
  public String getProtocol() {
    return protocol;
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    attributes.put(name, value);
  }

  @Override
  public void setStreams(InputStream in, OutputStream out) {
    throw new UnsupportedOperationException("Filters are not supported");
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }

  private final OutputStream responseStream =
      new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          if (responseBody == null) {
            throw new IOException("sendResponseHeaders must come before the body");
          }
          responseBody.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
          connection.out.flush();
        }

        @Override
        public void close() throws IOException {
          if (responseBody != null) {
            responseBody.close();
          }
          connection.out.flush();
        }
      };
}
