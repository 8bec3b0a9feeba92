package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * A function for {@code mode=http} tests, run by the watchdog as its {@code fprocess}: listens on
 * {@code PORT} (after {@code TEST_UPSTREAM_GATE} exists, if set) and answers {@code /echo}, {@code
 * /stream}, {@code /info}, {@code /sleep?ms=}, {@code /pid} and {@code /exit}. It exits when its
 * STDIN closes, so it never outlives the watchdog that started it.
 */
public final class FakeUpstream {

  private FakeUpstream() {}

  public static void main(String[] args) throws Exception {
    Thread orphanGuard =
        new Thread(
            () -> {
              try (InputStream in = System.in) {
                while (in.read() >= 0) {
                  // Nothing is ever sent; end of stream means the watchdog is gone.
                }
              } catch (IOException e) {
                // Same.
              }
              Runtime.getRuntime().halt(0);
            });
    orphanGuard.setDaemon(true);
    orphanGuard.start();
    String gate = System.getenv("TEST_UPSTREAM_GATE");
    if (gate != null) {
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (!Files.exists(Path.of(gate)) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    int port = Integer.parseInt(System.getenv("PORT"));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.createContext("/", FakeUpstream::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      switch (path) {
        case "/echo" -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
          exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
        case "/stream" -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            exchange.getRequestBody().transferTo(out);
          }
        }
        case "/info" -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String info =
              "method="
                  + exchange.getRequestMethod()
                  + "\npath="
                  + path
                  + "\nquery="
                  + exchange.getRequestURI().getRawQuery()
                  + "\nx-test="
                  + exchange.getRequestHeaders().getFirst("X-Test")
                  + "\nbody="
                  + new String(body, StandardCharsets.UTF_8)
                  + "\n";
          text(exchange, 201, info);
        }
        case "/sleep" -> {
          String query = exchange.getRequestURI().getRawQuery();
          long millis = Math.min(600_000, Long.parseLong(query.substring("ms=".length())));
          try {
            Thread.sleep(millis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          text(exchange, 200, "slept\n");
        }
        case "/pid" -> text(exchange, 200, Long.toString(ProcessHandle.current().pid()));
        case "/exit" -> Runtime.getRuntime().halt(1);
        default -> text(exchange, 404, "no such path\n");
      }
    }
  }

  private static void text(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.getResponseHeaders().set("X-Upstream", "test");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
