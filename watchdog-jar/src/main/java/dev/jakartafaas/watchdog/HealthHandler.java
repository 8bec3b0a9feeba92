package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code /_/health}: 200 while the watchdog can serve, 503 before its function is ready, when the
 * lock file is gone, and from the moment shutdown starts.
 */
final class HealthHandler {

  private final Path lockFile;
  private volatile boolean ready;
  private volatile boolean shuttingDown;

  HealthHandler(Path lockFile) {
    this.lockFile = lockFile;
  }

  void ready(boolean value) {
    ready = value;
  }

  void shutdown() {
    shuttingDown = true;
  }

  boolean shuttingDown() {
    return shuttingDown;
  }

  boolean healthy() {
    return ready && !shuttingDown && (lockFile == null || Files.exists(lockFile));
  }

  void handle(HttpExchange exchange) throws IOException {
    boolean healthy = healthy();
    byte[] body = (healthy ? "OK\n" : "Not ready\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    int status = healthy ? 200 : 503;
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }
}
