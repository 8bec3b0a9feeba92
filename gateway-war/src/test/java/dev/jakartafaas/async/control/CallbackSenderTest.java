package dev.jakartafaas.async.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.jakartafaas.security.control.OutboundAllowList;
import dev.jakartafaas.security.control.OutboundCheck;
import dev.jakartafaas.security.control.OutboundUrl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallbackSenderTest {

  private static final String KEY = "faas.async.callback-allow";
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource({
    "HTTP/1.1 200 OK, 200",
    "HTTP/1.0 204 No Content, 204",
    "HTTP/1.1 302, 302",
    "HTTP/1.1 503 Busy, 503",
    "HTTP/2 200 OK, 0",
    "HTTP/1.1 2000 OK, 0",
    "HTTP/1.1 2x0 OK, 0",
    "SSH-2.0-OpenSSH, 0",
    "'', 0",
  })
  void readsTheStatusOfAnHttp1StatusLine(String line, int status) {
    assertEquals(status, CallbackSender.statusOf(line));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "200, DELIVERED",
    "202, DELIVERED",
    "301, REJECTED",
    "307, REJECTED",
    "404, REJECTED",
    "429, REJECTED",
    "500, FAILED",
    "503, FAILED",
    "0, FAILED",
  })
  void retriesOnlyServerErrorsAndNoAnswerAndFollowsNoRedirect(
      int status, CallbackSender.Outcome outcome) {
    assertEquals(outcome, CallbackSender.outcomeOf(status));
  }

  @Test
  void headDropsValuesThatWouldSplitTheRequest() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Call-Id", "c1");
    headers.put("Content-Type", "text/plain\r\nX-Injected: 1");
    String head =
        CallbackSender.head(OutboundUrl.parse("http://example.com:8080/cb?t=1"), headers, 3);
    assertEquals(
        "POST /cb?t=1 HTTP/1.1\r\nHost: example.com:8080\r\nX-Call-Id: c1\r\n"
            + "Content-Length: 3\r\nConnection: close\r\n\r\n",
        head);
  }

  @Test
  void postsTheResultToAnAllowListedLoopbackReceiver() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext(
        "/",
        x -> {
          seen.set(
              x.getRequestMethod()
                  + " "
                  + x.getRequestURI()
                  + " "
                  + x.getRequestHeaders().getFirst("X-Call-Id")
                  + " "
                  + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          x.sendResponseHeaders(204, -1);
          x.close();
        });
    server.start();
    CallbackSender sender =
        new CallbackSender(
            OutboundCheck.SYSTEM,
            OutboundAllowList.parse(List.of("127.0.0.1/32")),
            KEY,
            Duration.ofSeconds(5));
    CallbackSender.Attempt a =
        sender.send(
            OutboundUrl.parse("http://127.0.0.1:" + server.getAddress().getPort() + "/cb?x=1"),
            Map.of("X-Call-Id", "call-9"),
            "out".getBytes(StandardCharsets.UTF_8));
    assertEquals(CallbackSender.Outcome.DELIVERED, a.outcome(), a.detail());
    assertEquals(204, a.status());
    assertEquals("POST /cb?x=1 call-9 out", seen.get());
  }

  @Test
  void callsNothingWhenTheNameNowResolvesToARefusedAddress() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext(
        "/",
        x -> {
          hits.incrementAndGet();
          x.sendResponseHeaders(204, -1);
          x.close();
        });
    server.start();
    // the name was public when the call was accepted; now it points at the gateway's loopback
    CallbackSender sender =
        new CallbackSender(
            host -> List.of(InetAddress.getByName("127.0.0.1")),
            OutboundAllowList.NONE,
            KEY,
            Duration.ofSeconds(5));
    CallbackSender.Attempt a =
        sender.send(
            OutboundUrl.parse("http://rebind.example:" + server.getAddress().getPort() + "/"),
            Map.of(),
            new byte[0]);
    assertEquals(CallbackSender.Outcome.REFUSED_BY_RULE, a.outcome());
    assertTrue(a.detail().contains("loopback") && a.detail().contains(KEY), a.detail());
    assertEquals(0, hits.get());
  }
}
