package dev.jakartafaas.invocation.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.metrics.control.FakeMetricRegistry;
import dev.jakartafaas.metrics.control.FunctionMetrics;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.NoReadyReplicaException;
import dev.jakartafaas.problems.entity.UpstreamFailedException;
import dev.jakartafaas.problems.entity.UpstreamTimeoutException;
import dev.jakartafaas.scaling.control.Scaler;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy against real loopback servers, with a fixed list of replicas and minimal servlet
 * request and response stand-ins.
 */
class InvokerTest {

  private final List<HttpServer> servers = new ArrayList<>();
  private final Map<String, List<ReplicaAddress>> replicas = new HashMap<>();
  private final FakeMetricRegistry metrics = new FakeMetricRegistry();
  private Invoker invoker;

  @BeforeEach
  void invoker() {
    invoker = new Invoker();
    invoker.backend = new FixedBackend();
    invoker.counts = new FunctionMetrics(metrics.registry, invoker.backend);
    invoker.settings =
        new InvocationSettings(
            Duration.ofMillis(1500),
            Duration.ofSeconds(2),
            8,
            20 * 1024 * 1024,
            Duration.ofMillis(50),
            10);
    invoker.coldStarts = new ColdStarts();
    invoker.coldStarts.backend = invoker.backend;
    invoker.coldStarts.counts = invoker.counts;
    invoker.coldStarts.scaler = new Scaler(invoker.backend, invoker.counts);
    invoker.coldStarts.settings = invoker.settings;
    invoker.coldStarts.init();
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  /** A replica that answers its name, the path it saw and the request body. */
  private ReplicaAddress replica(String name, AtomicInteger hits) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext(
        "/",
        x -> {
          hits.incrementAndGet();
          byte[] body = x.getRequestBody().readAllBytes();
          String answer =
              name
                  + " "
                  + x.getRequestMethod()
                  + " "
                  + x.getRequestURI()
                  + " "
                  + x.getRequestHeaders().getFirst("X-Call-Id")
                  + " "
                  + new String(body, StandardCharsets.UTF_8);
          byte[] out = answer.getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("X-Replica", name);
          x.getResponseHeaders().add("Connection", "keep-alive");
          x.sendResponseHeaders(201, out.length);
          x.getResponseBody().write(out);
          x.close();
        });
    s.start();
    servers.add(s);
    return new ReplicaAddress("f", name, "127.0.0.1", s.getAddress().getPort());
  }

  private static ReplicaAddress refusing() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new ReplicaAddress("f", "dead", "127.0.0.1", s.getLocalPort());
    }
  }

  private Answer call(String method, String path, String query, String body) throws IOException {
    Answer answer = new Answer();
    invoker.invoke("f", path, request(method, query, body), answer.response());
    return answer;
  }

  @Test
  void forwardsMethodPathQueryHeadersAndBodyAndAnswersWithTheReplicasResponse() throws Exception {
    replicas.put("f", List.of(replica("one", new AtomicInteger())));
    Answer a = call("PATCH", "/a/b", "x=1&y=2", "payload");
    assertEquals(201, a.status);
    assertEquals("one PATCH /a/b?x=1&y=2 call-7 payload", a.body());
    assertEquals("one", a.headers.get("X-Replica"));
    assertEquals("call-7", a.headers.get("X-Call-Id"));
    assertTrue(a.headers.get("X-Start-Time").matches("\\d{18,}"));
    assertEquals(null, a.headers.get("Connection"), "hop-by-hop headers stay behind");
    assertEquals(1, invoker.counts.count("f"));
    assertEquals(
        1L,
        metrics.value(
            FunctionMetrics.INVOCATIONS,
            FunctionMetrics.FUNCTION_LABEL,
            "f",
            FunctionMetrics.CODE_LABEL,
            "201"));
    assertEquals(0L, metrics.value(FunctionMetrics.IN_FLIGHT, FunctionMetrics.FUNCTION_LABEL, "f"));
  }

  @Test
  void spreadsSequentialRequestsOverIdleReplicas() throws Exception {
    AtomicInteger one = new AtomicInteger();
    AtomicInteger two = new AtomicInteger();
    replicas.put("f", List.of(replica("one", one), replica("two", two)));
    for (int i = 0; i < 10; i++) {
      assertEquals(201, call("POST", "/", null, "x").status);
    }
    assertEquals(5, one.get());
    assertEquals(5, two.get());
  }

  @Test
  void retriesOnAnotherReplicaWhenOneRefusesTheConnection() throws Exception {
    AtomicInteger live = new AtomicInteger();
    replicas.put("f", List.of(refusing(), replica("live", live)));
    for (int i = 0; i < 6; i++) {
      Answer a = call("POST", "/", null, "n" + i);
      assertEquals(201, a.status);
      assertTrue(a.body().startsWith("live POST / call-7 n" + i), a.body());
    }
    assertEquals(6, live.get());
  }

  @Test
  void answers502WhenEveryReplicaRefuses() throws Exception {
    replicas.put("f", List.of(refusing(), refusing()));
    UpstreamFailedException e =
        assertThrows(UpstreamFailedException.class, () -> call("POST", "/", null, "x"));
    assertEquals(502, e.status());
    assertEquals(
        1L,
        metrics.value(
            FunctionMetrics.INVOCATIONS,
            FunctionMetrics.FUNCTION_LABEL,
            "f",
            FunctionMetrics.CODE_LABEL,
            "502"));
  }

  @Test
  void answers504WhenTheReplicaIsSilent() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      replicas.put(
          "f", List.of(new ReplicaAddress("f", "silent", "127.0.0.1", silent.getLocalPort())));
      UpstreamTimeoutException e =
          assertThrows(UpstreamTimeoutException.class, () -> call("GET", "/", null, ""));
      assertEquals(504, e.status());
    }
  }

  @Test
  void answers404ForUnknownAnd503ForFunctionsWithoutReadyReplicas() {
    assertThrows(FunctionNotFoundException.class, () -> call("GET", "/", null, ""));
    assertTrue(metrics.series.isEmpty(), "an unknown name adds no series: " + metrics.series);
    replicas.put("f", List.of());
    assertThrows(NoReadyReplicaException.class, () -> call("GET", "/", null, ""));
    assertEquals(0, invoker.counts.count("f"), "only invocations that reached a replica count");
    assertEquals(0, invoker.counts.inFlight("f"));
    assertTrue(
        metrics.series.keySet().stream()
            .noneMatch(id -> id.getName().equals(FunctionMetrics.COLD_STARTS)),
        "a wait that found no replica is no cold start: " + metrics.series);
  }

  @Test
  void streamsABodyLargerThanTheRepeatableLimit() throws Exception {
    replicas.put("f", List.of(replica("one", new AtomicInteger())));
    String big = "z".repeat(RequestBody.REPEATABLE * 3 + 17);
    Answer a = call("PUT", "/", null, big);
    assertEquals("one PUT / call-7 " + big, a.body());
  }

  private final class FixedBackend extends UnsupportedBackend {
    @Override
    public List<FunctionState> list() {
      return List.of();
    }

    @Override
    public Optional<FunctionState> find(String name) {
      return Optional.empty();
    }

    @Override
    public void scale(String name, int replicas) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<List<ReplicaAddress>> readyReplicas(String name) {
      return Optional.ofNullable(replicas.get(name));
    }

    @Override
    public List<LogLine> logs(String name, int tail, Instant since) {
      return List.of();
    }
  }

  /** A request with a body, a caller's call id and a Connection header. */
  private static HttpServletRequest request(String method, String query, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers =
        Map.of(
            "Content-Type", "text/plain",
            "X-Call-Id", "call-7",
            "Connection", "keep-alive",
            "Host", "gateway:8080");
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    ServletInputStream stream =
        new ServletInputStream() {
          @Override
          public int read() {
            return in.read();
          }

          @Override
          public int read(byte[] b, int off, int len) {
            int n = in.read(b, off, len);
            return n;
          }

          @Override
          public boolean isFinished() {
            return in.available() == 0;
          }

          @Override
          public boolean isReady() {
            return true;
          }

          @Override
          public void setReadListener(ReadListener listener) {}
        };
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            InvokerTest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "getMethod" -> method;
                  case "getQueryString" -> query;
                  case "getRemoteAddr" -> "127.0.0.9";
                  case "getContentLengthLong" -> (long) bytes.length;
                  case "getInputStream" -> stream;
                  case "getHeader" -> headers.get((String) args[0]);
                  case "getHeaderNames" -> Collections.enumeration(headers.keySet());
                  case "getHeaders" ->
                      Collections.enumeration(
                          headers.containsKey((String) args[0])
                              ? List.of(headers.get((String) args[0]))
                              : List.of());
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }

  /** Collects what the proxy answers. */
  private static final class Answer {
    int status;
    final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    String body() {
      return body.toString(StandardCharsets.UTF_8);
    }

    HttpServletResponse response() {
      ServletOutputStream out =
          new ServletOutputStream() {
            @Override
            public void write(int b) {
              body.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              body.write(b, off, len);
            }

            @Override
            public boolean isReady() {
              return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {}
          };
      return (HttpServletResponse)
          Proxy.newProxyInstance(
              InvokerTest.class.getClassLoader(),
              new Class<?>[] {HttpServletResponse.class},
              (proxy, m, args) -> {
                switch (m.getName()) {
                  case "setStatus" -> status = (Integer) args[0];
                  case "setHeader", "addHeader" -> headers.put((String) args[0], (String) args[1]);
                  case "setContentLengthLong" -> headers.put("Content-Length", "" + args[0]);
                  case "getOutputStream" -> {
                    return out;
                  }
                  case "isCommitted" -> {
                    return false;
                  }
                  default -> throw new UnsupportedOperationException(m.getName());
                }
                return null;
              });
    }
  }
}
