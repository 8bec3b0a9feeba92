package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The checks every function request passes before it reaches the function, in either mode:
 * shutdown, in-flight limit, the method ({@code mode=fork} runs the function for the classic
 * watchdog's five only), unsafe headers, body size. Also routes the watchdog's own paths and
 * counts.
 */
final class FunctionHandler implements HttpHandler {

  /** Runs one admitted request against the function and answers it; returns the status sent. */
  interface Invoker {
    int invoke(HttpExchange exchange, long contentLength, long deadlineNanos) throws IOException;
  }

  private static final Logger LOG = Logger.getLogger(FunctionHandler.class.getName());

  private final WatchdogConfig config;
  private final Metrics metrics;
  private final HealthHandler health;
  private final Invoker invoker;
  private final long timeoutNanos;
  private final boolean metricsHere;

  FunctionHandler(WatchdogConfig config, Metrics metrics, HealthHandler health, Invoker invoker) {
    this.config = config;
    this.metrics = metrics;
    this.health = health;
    this.invoker = invoker;
    this.timeoutNanos = effectiveTimeout(config).toNanos();
    this.metricsHere = config.metricsPort() == 0;
  }

  /** The earlier of {@code exec_timeout} and {@code write_timeout}; zero means none. */
  static java.time.Duration effectiveTimeout(WatchdogConfig config) {
    java.time.Duration exec = config.execTimeout();
    java.time.Duration write = config.writeTimeout();
    if (exec.isZero()) {
      return write;
    }
    if (write.isZero()) {
      return exec;
    }
    return exec.compareTo(write) <= 0 ? exec : write;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    if ("/_/health".equals(path)) {
      health.handle(exchange);
      return;
    }
    if (metricsHere && "/metrics".equals(path) && "GET".equals(exchange.getRequestMethod())) {
      MetricsHandler.answer(exchange, metrics);
      return;
    }
    long start = System.nanoTime();
    int status = 500;
    int inFlight = metrics.inFlight().incrementAndGet();
    boolean failed = false;
    try {
      status = admitAndInvoke(exchange, inFlight, start);
    } catch (IOException | RuntimeException e) {
      // The server closes the connection without ending the response, so a client never
      // mistakes a cut-off answer for a complete one.
      LOG.log(Level.FINE, "Request ended early", e);
      status = 499;
      failed = true;
      throw e;
    } finally {
      metrics.inFlight().decrementAndGet();
      metrics.record(exchange.getRequestMethod(), status, System.nanoTime() - start);
      if (!failed) {
        exchange.close();
      }
    }
  }

  private int admitAndInvoke(HttpExchange exchange, int inFlight, long start) throws IOException {
    if (health.shuttingDown()) {
      return reject(exchange, 503, "The watchdog is shutting down; retry on another replica.");
    }
    if (config.maxInflight() > 0 && inFlight > config.maxInflight()) {
      return reject(
          exchange,
          429,
          "Concurrent request limit exceeded (max_inflight=" + config.maxInflight() + ").");
    }
    if (config.mode() == WatchdogConfig.Mode.FORK
        && !Answers.METHODS.contains(exchange.getRequestMethod())) {
      return Answers.methodNotAllowed(exchange, config);
    }
    String unsafe = CgiEnvironment.firstUnsafeHeader(exchange.getRequestHeaders());
    if (unsafe != null) {
      return reject(exchange, 400, "Header " + unsafe + " contains NUL, CR or LF.");
    }
    String lengthHeader = exchange.getRequestHeaders().getFirst("Content-Length");
    String transferEncoding = exchange.getRequestHeaders().getFirst("Transfer-Encoding");
    if (lengthHeader != null && transferEncoding != null) {
      return reject(
          exchange, 400, "A request may not carry both Content-Length and Transfer-Encoding.");
    }
    long contentLength;
    try {
      contentLength =
          lengthHeader == null
              ? (transferEncoding == null ? 0 : -1)
              : Long.parseLong(lengthHeader.trim());
    } catch (NumberFormatException e) {
      return reject(exchange, 400, "Content-Length is not a number.");
    }
    if (config.maxBodyBytes() > 0 && contentLength > config.maxBodyBytes()) {
      return reject(
          exchange,
          413,
          "Request body of "
              + contentLength
              + " bytes is over the limit of "
              + config.maxBodyBytes()
              + " bytes (max_body_bytes).");
    }
    long deadline = timeoutNanos == 0 ? 0 : start + timeoutNanos;
    return invoker.invoke(exchange, contentLength, deadline);
  }

  private static int reject(HttpExchange exchange, int status, String message) throws IOException {
    Errors.send(exchange, status, message);
    return status;
  }
}
