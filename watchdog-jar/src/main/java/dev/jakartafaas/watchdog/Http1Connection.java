package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpHandler;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection of {@link Http1Server}: reads requests one after the other (keep-alive),
 * frames their bodies (Content-Length or chunked), and refuses what it cannot frame safely with 400
 * before any handler sees it.
 */
final class Http1Connection implements Runnable {

  private static final Logger LOG = Logger.getLogger(Http1Connection.class.getName());
  static final int MAX_LINE_BYTES = 8 * 1024;
  static final int MAX_HEADER_BYTES = 64 * 1024;
  static final int MAX_HEADERS = 100;
  static final long DRAIN_BYTES = 64 * 1024;
  private static final long LINGER_BYTES = 16L * 1024 * 1024;
  private static final long LINGER_MILLIS = 2_000;

  private final Socket socket;
  private final InputStream socketIn;
  private final LineInput in;
  final BufferedOutputStream out;
  private final HttpHandler handler;
  private final ScheduledExecutorService timers;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final Http1Server server;
  private volatile boolean idle = true;
  private volatile boolean closed;

  Http1Connection(
      Socket socket,
      HttpHandler handler,
      ScheduledExecutorService timers,
      Duration readTimeout,
      Duration writeTimeout,
      Http1Server server)
      throws IOException {
    this.socket = socket;
    this.socketIn = socket.getInputStream();
    this.in = new LineInput(socketIn, 16 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    this.handler = handler;
    this.timers = timers;
    this.readTimeout = readTimeout;
    this.writeTimeout = writeTimeout;
    this.server = server;
  }

  Socket socket() {
    return socket;
  }

  @Override
  public void run() {
    try {
      while (!server.stopping()) {
        idle = true;
        socket.setSoTimeout((int) Http1Server.IDLE_TIMEOUT.toMillis());
        if (!awaitRequest()) {
          break;
        }
        idle = false;
        socket.setSoTimeout(readTimeout.isZero() ? 0 : (int) readTimeout.toMillis());
        if (!serveOne()) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      LOG.fine("Connection timed out");
    } catch (IOException e) {
      LOG.log(Level.FINE, "Connection ended", e);
    } finally {
      close();
      server.closed(this);
    }
  }

  /** Serves one request; true if the connection can carry another. */
  private boolean serveOne() throws IOException {
    Http1Exchange exchange;
    try {
      exchange = readRequest();
    } catch (Http1Server.BadRequest e) {
      writeError(e.status, e.getMessage());
      return false;
    }
    ScheduledFuture<?> guard = null;
    if (!writeTimeout.isZero()) {
      long guardMillis = readTimeout.toMillis() + writeTimeout.toMillis() + 5_000;
      guard = timers.schedule(this::close, guardMillis, TimeUnit.MILLISECONDS);
    }
    try {
      handler.handle(exchange);
    } catch (Http1Server.BadRequest e) {
      if (!exchange.responseStarted()) {
        writeError(e.status, e.getMessage());
      }
      return false;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "Handler failed", e);
      if (!exchange.responseStarted() && !closed) {
        writeError(500, "The watchdog failed to handle the request.");
      }
      return false;
    } finally {
      if (guard != null) {
        guard.cancel(false);
      }
    }
    return exchange.finish() && !server.stopping();
  }

  /** Waits for the first byte of the next request; false on a clean end of the connection. */
  private boolean awaitRequest() throws IOException {
    try {
      return in.await();
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  private Http1Exchange readRequest() throws IOException {
    String requestLine = readLine(MAX_LINE_BYTES);
    while (requestLine != null && requestLine.isEmpty()) {
      requestLine = readLine(MAX_LINE_BYTES); // tolerate a stray CRLF between requests
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
    Headers headers = readHeaders();
    boolean http10 = version.equals("HTTP/1.0");
    String connection = lower(headers.getFirst("Connection"));
    boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
    String transferEncoding = headers.getFirst("Transfer-Encoding");
    java.util.List<String> lengths = headers.get("Content-Length");
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
    return new Http1Exchange(
        this, method, uri, version, headers, contentLength, chunked, keepAlive, expectContinue);
  }

  private Headers readHeaders() throws IOException {
    Headers headers = new Headers();
    int total = 0;
    int count = 0;
    while (true) {
      String line = readLine(MAX_LINE_BYTES);
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

  private static long parseLength(java.util.List<String> values) throws IOException {
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

  // ---- reading shared by the request head and the body streams

  int read(byte[] target, int offset, int length) throws IOException {
    return in.read(target, offset, length);
  }

  /** A line without its CRLF; null at end of stream before any byte. */
  String readLine(int max) throws IOException {
    try {
      return in.readLine(max);
    } catch (LineInput.LineTooLong e) {
      throw new Http1Server.BadRequest(431, "Request line or header is too long.");
    }
  }

  /** Reads and drops up to {@link #DRAIN_BYTES} of an unread body; false if more was left. */
  static boolean drain(InputStream body) {
    byte[] scratch = new byte[8192];
    long drained = 0;
    try {
      int n;
      while ((n = body.read(scratch)) >= 0) {
        drained += n;
        if (drained > DRAIN_BYTES) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  // ---- writing

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);
  private static volatile long dateSecond;
  private static volatile String date = "";

  static String date() {
    long now = System.currentTimeMillis() / 1000;
    if (now != dateSecond) {
      date = HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
      dateSecond = now;
    }
    return date;
  }

  private void writeError(int status, String message) {
    try {
      byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
      String head =
          "HTTP/1.1 "
              + status
              + " "
              + Http1Exchange.reason(status)
              + "\r\nContent-Type: text/plain; charset=utf-8\r\nX-Faas-Internal: true\r\n"
              + "Content-Length: "
              + body.length
              + "\r\nConnection: close\r\nDate: "
              + date()
              + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
    } catch (IOException e) {
      // The client is gone.
    }
  }

  /**
   * Ends a connection whose client may still be sending: stop writing, read and drop what arrives
   * for a short while, then close. Closing at once could reset the connection before the client has
   * read the answer.
   */
  void lingeringClose() {
    try {
      out.flush();
      socket.shutdownOutput();
      socket.setSoTimeout(250);
      byte[] scratch = new byte[16 * 1024];
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
      long dropped = 0;
      while (dropped < LINGER_BYTES && System.nanoTime() < deadline) {
        int n;
        try {
          n = socketIn.read(scratch);
        } catch (SocketTimeoutException e) {
          continue;
        }
        if (n < 0) {
          break;
        }
        dropped += n;
      }
    } catch (IOException e) {
      // The client is gone.
    } finally {
      close();
    }
  }

  void closeIfIdle() {
    if (idle) {
      close();
    }
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      // Closed already.
    }
  }
}
