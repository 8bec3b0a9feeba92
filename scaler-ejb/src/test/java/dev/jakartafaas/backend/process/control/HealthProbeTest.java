package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthProbeTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'HTTP/1.1 200 ', true",
    "'HTTP/1.0 200 ', true",
    "'HTTP/1.1 200\r', true",
    "'HTTP/1.1 503 ', false",
    "'HTTP/1.1 2000', false",
    "'HTTP/2 200 OK', false",
    "'HTTP/1.1 200', false",
  })
  void onlyA200StatusCounts(String statusLine, boolean ready) {
    assertEquals(ready, HealthProbe.statusIs200(statusLine));
  }

  @Test
  void asksTheRealHealthEndpoint() throws Exception {
    AtomicInteger status = new AtomicInteger(503);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/_/health",
        exchange -> {
          exchange.sendResponseHeaders(status.get(), -1);
          exchange.close();
        });
    server.start();
    try {
      int port = server.getAddress().getPort();
      assertFalse(HealthProbe.isReady("127.0.0.1", port, 2000));
      status.set(200);
      assertTrue(HealthProbe.isReady("127.0.0.1", port, 2000));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aClosedPortIsNotReady() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertFalse(HealthProbe.isReady("127.0.0.1", port, 500));
  }
}
