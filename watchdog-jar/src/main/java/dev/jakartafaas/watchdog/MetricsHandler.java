package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Serves {@link Metrics} as Prometheus text, on the function port or on {@code metrics_port}. */
final class MetricsHandler {

  private MetricsHandler() {}

  static void answer(HttpExchange exchange, Metrics metrics) throws IOException {
    byte[] body = metrics.render().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
    exchange.close();
  }
}
