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
import java.util.List;
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
  private final boolean expectContinue;
  private final boolean head;
  private final InputStream requestBody;
  private final Map<String, Object> attributes = new HashMap<>(2);
  private boolean keepAlive;
  private boolean continueSent;
  private int responseCode = -1;
  private OutputStream responseBody;
  private boolean finished;

  Http1Exchange(
      Http1Connection connection,
      String method,
      URI uri,
      String protocol,
      Headers requestHeaders,
      long contentLength,
      boolean chunked,
      boolean keepAlive,
      boolean expectContinue) {
    this.connection = connection;
    this.method = method;
    this.uri = uri;
    this.protocol = protocol;
    this.requestHeaders = requestHeaders;
    this.keepAlive = keepAlive;
    this.expectContinue = expectContinue;
    this.head = "HEAD".equals(method);
    this.requestBody = chunked ? new ChunkedBody() : new FixedBody(Math.max(0, contentLength));
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
    StringBuilder out = new StringBuilder(256);
    out.append(protocol.equals("HTTP/1.0") ? "HTTP/1.0 " : "HTTP/1.1 ")
        .append(code)
        .append(' ')
        .append(reason(code))
        .append("\r\n");
    for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
      String name = canonical(header.getKey());
      if (name.equalsIgnoreCase("Content-Length")
          || name.equalsIgnoreCase("Transfer-Encoding")
          || name.equalsIgnoreCase("Connection")) {
        continue;
      }
      for (String value : header.getValue()) {
        out.append(name).append(": ").append(value).append("\r\n");
      }
    }
    out.append("Date: ").append(Http1Connection.date()).append("\r\n");
    if ("close".equalsIgnoreCase(responseHeaders.getFirst("Connection"))
        || !requestBodyNearlyRead()) {
      // The client must not send another request on this connection: either the handler asked
      // for that, or too much of the body is unread to skip it.
      keepAlive = false;
    }
    if (length == 0 && !bodyless && protocol.equals("HTTP/1.0")) {
      keepAlive = false; // HTTP/1.0 has no chunking: the body ends with the connection
    }
    if (bodyless) {
      if (head && length > 0) {
        out.append("Content-Length: ").append(length).append("\r\n");
      }
      responseBody = OutputStream.nullOutputStream();
    } else if (length > 0) {
      out.append("Content-Length: ").append(length).append("\r\n");
      responseBody = new FixedResponse(length);
    } else if (length == 0) {
      if (protocol.equals("HTTP/1.1")) {
        out.append("Transfer-Encoding: chunked\r\n");
        responseBody = new ChunkedResponse();
      } else {
        responseBody = new UntilCloseResponse();
      }
    } else {
      out.append("Content-Length: 0\r\n");
      responseBody = OutputStream.nullOutputStream();
    }
    if (!keepAlive) {
      out.append("Connection: close\r\n");
    } else if (protocol.equals("HTTP/1.0")) {
      out.append("Connection: keep-alive\r\n");
    }
    out.append("\r\n");
    connection.out.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private boolean requestBodyNearlyRead() {
    if (requestBody instanceof FixedBody fixed) {
      return fixed.remaining <= Http1Connection.DRAIN_BYTES;
    }
    return ((ChunkedBody) requestBody).done;
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

  /** {@code x-faas-internal} → {@code X-Faas-Internal}. */
  static String canonical(String name) {
    char[] chars = name.toCharArray();
    boolean upper = true;
    for (int i = 0; i < chars.length; i++) {
      chars[i] = upper ? Character.toUpperCase(chars[i]) : chars[i];
      upper = chars[i] == '-';
    }
    return new String(chars);
  }

  static String reason(int code) {
    return switch (code) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 413 -> "Content Too Large";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status";
    };
  }

  private void sendContinueOnce() throws IOException {
    if (expectContinue && !continueSent && responseCode == -1) {
      continueSent = true;
      connection.out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      connection.out.flush();
    }
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

  /** A request body of known length. */
  private final class FixedBody extends InputStream {
    private long remaining;

    FixedBody(long length) {
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      if (length == 0) {
        return 0;
      }
      sendContinueOnce();
      int n = connection.read(target, offset, (int) Math.min(length, remaining));
      if (n < 0) {
        throw new IOException("Client closed the connection before sending the whole body");
      }
      remaining -= n;
      return n;
    }

    @Override
    public int available() {
      return 0;
    }
  }

  /** A chunked request body; trailers are read and dropped. */
  private final class ChunkedBody extends InputStream {
    private long chunkLeft;
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (done) {
        return -1;
      }
      if (length == 0) {
        return 0;
      }
      sendContinueOnce();
      if (chunkLeft == 0) {
        String sizeLine = connection.readLine(Http1Connection.MAX_LINE_BYTES);
        if (sizeLine == null) {
          throw new IOException("Client closed the connection in a chunked body");
        }
        chunkLeft = Chunked.size(sizeLine);
        if (chunkLeft < 0) {
          throw new Http1Server.BadRequest(400, "Malformed chunk size in the request body.");
        }
        if (chunkLeft == 0) {
          String trailer;
          int trailers = 0;
          while ((trailer = connection.readLine(Http1Connection.MAX_LINE_BYTES)) != null
              && !trailer.isEmpty()) {
            if (++trailers > Http1Connection.MAX_HEADERS) {
              throw new Http1Server.BadRequest(431, "Too many trailers.");
            }
          }
          done = true;
          return -1;
        }
      }
      int n = connection.read(target, offset, (int) Math.min(length, chunkLeft));
      if (n < 0) {
        throw new IOException("Client closed the connection in a chunk");
      }
      chunkLeft -= n;
      if (chunkLeft == 0) {
        String crlf = connection.readLine(2);
        if (crlf == null || !crlf.isEmpty()) {
          throw new Http1Server.BadRequest(400, "Malformed chunk in the request body.");
        }
      }
      return n;
    }
  }

  private final class FixedResponse extends OutputStream {
    private long remaining;

    FixedResponse(long length) {
      this.remaining = length;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (length > remaining) {
        throw new IOException("More bytes than the announced Content-Length");
      }
      connection.out.write(bytes, offset, length);
      remaining -= length;
    }

    @Override
    public void close() throws IOException {
      if (remaining > 0) {
        keepAlive = false;
        connection.out.flush();
        connection.close();
        throw new IOException("Response ended before its announced Content-Length");
      }
    }
  }

  private final class ChunkedResponse extends OutputStream {
    private boolean closed;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (length == 0) {
        return;
      }
      Chunked.writeChunk(connection.out, bytes, offset, length);
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        Chunked.writeEnd(connection.out);
      }
    }
  }

  private final class UntilCloseResponse extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      connection.out.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      connection.out.write(bytes, offset, length);
    }
  }
}
