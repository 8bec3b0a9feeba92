package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.HttpHandler;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection of {@link Http1Server}: reads requests one after the other (keep-alive),
 * hands each to the handler as an {@link Http1Exchange}, and answers what {@link Http1RequestHead}
 * refuses (400 and the like) before any handler sees it.
 */
final class Http1Connection implements Runnable {

  private static final Logger LOG = Logger.getLogger(Http1Connection.class.getName());
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
      exchange = new Http1Exchange(this, Http1RequestHead.read(this));
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

  private void writeError(int status, String message) {
    try {
      out.write(Http1ResponseHead.error(status, message));
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
