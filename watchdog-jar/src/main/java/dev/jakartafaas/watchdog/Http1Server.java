package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A small HTTP/1.1 server with one thread per connection. The JDK's own server hands every request
 * from a selector thread to a worker and back, which costs more than the work itself for a fast
 * function; here the thread that reads a request also answers it and waits for the next one.
 * Handlers are ordinary {@link HttpHandler}s.
 */
final class Http1Server {

  private static final Logger LOG = Logger.getLogger(Http1Server.class.getName());

  /** How long a kept-alive connection may wait for its next request. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

  private final ServerSocket listener;
  private final HttpHandler handler;
  private final ExecutorService threads;
  private final ScheduledExecutorService timers;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final Set<Http1Connection> connections = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean stopping;

  private Http1Server(
      ServerSocket listener,
      HttpHandler handler,
      ExecutorService threads,
      ScheduledExecutorService timers,
      Duration readTimeout,
      Duration writeTimeout) {
    this.listener = listener;
    this.handler = handler;
    this.threads = threads;
    this.timers = timers;
    this.readTimeout = readTimeout;
    this.writeTimeout = writeTimeout;
    this.acceptor = new Thread(this::acceptLoop, "watchdog-accept-" + listener.getLocalPort());
    acceptor.setDaemon(false); // keeps the JVM alive while serving
  }

  static Http1Server start(
      String bindAddress,
      int port,
      HttpHandler handler,
      ExecutorService threads,
      ScheduledExecutorService timers,
      Duration readTimeout,
      Duration writeTimeout)
      throws IOException {
    ServerSocket listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 1024);
    Http1Server server =
        new Http1Server(listener, handler, threads, timers, readTimeout, writeTimeout);
    server.acceptor.start();
    return server;
  }

  int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!stopping) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (!stopping) {
          LOG.log(Level.WARNING, "Accept failed", e);
        }
        continue;
      }
      try {
        socket.setTcpNoDelay(true);
        Http1Connection connection =
            new Http1Connection(socket, handler, timers, readTimeout, writeTimeout, this);
        connections.add(connection);
        threads.execute(connection);
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.FINE, "Cannot serve a new connection", e);
        closeQuietly(socket);
      }
    }
  }

  boolean stopping() {
    return stopping;
  }

  void closed(Http1Connection connection) {
    connections.remove(connection);
  }

  /**
   * Stops accepting and closes idle connections; connections in the middle of a request finish it
   * and then close.
   */
  void stop() {
    stopping = true;
    try {
      listener.close();
    } catch (IOException e) {
      // Closed already.
    }
    for (Http1Connection connection : connections) {
      connection.closeIfIdle();
    }
  }

  /** Closes every connection, busy or not. */
  void closeAll() {
    stop();
    for (Http1Connection connection : connections) {
      connection.close();
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to do.
    }
  }

  /** Thrown for a request the server cannot frame; answered with 400 and the connection closed. */
  static final class BadRequest extends IOException {
    final int status;

    BadRequest(int status, String message) {
      super(message);
      this.status = status;
    }
  }
}
