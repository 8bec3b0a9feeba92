package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog's own HTTP/1.1 framing, spoken over a plain socket. */
class Http1ServerTest {

  @TempDir Path tmp;
  private LocalWatchdog watchdog;

  @BeforeEach
  void start() throws IOException {
    watchdog = LocalWatchdog.start(tmp, Map.of("fprocess", "cat", "max_body_bytes", "1000"));
  }

  @AfterEach
  void stop() {
    watchdog.close();
  }

  @Test
  void servesSeveralRequestsOnOneKeptAliveConnection() throws IOException {
    try (Connection c = new Connection(watchdog.port())) {
      for (int i = 0; i < 3; i++) {
        c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        String reply = c.readResponse();
        assertTrue(reply.startsWith("HTTP/1.1 200 "), reply);
        assertTrue(reply.endsWith("\r\n\r\nhello"), reply);
        assertTrue(reply.contains("X-Duration-Seconds: "), reply);
      }
    }
  }

  @Test
  void answers413AndClosesWithoutWaitingForAnOversizedBody() throws IOException {
    try (Connection c = new Connection(watchdog.port())) {
      c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n" + "a".repeat(100));
      String reply = c.readResponse();
      assertTrue(reply.startsWith("HTTP/1.1 413 "), reply);
      assertTrue(reply.contains("Connection: close"), reply);
      assertTrue(reply.contains("X-Faas-Internal: true"), reply);
      assertTrue(reply.contains("max_body_bytes"), reply);
    }
  }

  @Test
  void sends100ContinueOnlyWhenTheBodyIsWanted() throws IOException {
    try (Connection c = new Connection(watchdog.port())) {
      c.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
      String interim = c.readHead();
      assertTrue(interim.startsWith("HTTP/1.1 100 Continue"), interim);
      c.send("abc");
      String reply = c.readResponse();
      assertTrue(reply.startsWith("HTTP/1.1 200 ") && reply.endsWith("abc"), reply);
    }
    String refused =
        RawHttp.exchange(
            watchdog.port(),
            "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
    assertEquals(413, RawHttp.status(refused), refused);
    assertTrue(!refused.contains("100 Continue"), refused);
  }

  @Test
  void speaksHttp10AndClosesAfterTheAnswer() throws IOException {
    String reply =
        RawHttp.exchange(watchdog.port(), "POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi");
    assertTrue(reply.startsWith("HTTP/1.0 200 "), reply);
    assertTrue(reply.endsWith("hi"), reply);
  }

  @Test
  void refusesMalformedRequestsWith4xx() throws IOException {
    assertEquals(400, status("POST / HTTP/1.1\r\nHost: x\r\n folded: value\r\n\r\n"));
    assertEquals(400, status("POST / HTTP/1.1\r\nBad Name: v\r\n\r\n"));
    assertEquals(400, status("NOT A VALID LINE\r\n\r\n"));
    assertEquals(400, status("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n"));
    assertEquals(400, status("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n"));
    assertEquals(505, status("POST / HTTP/2.0\r\n\r\n"));
    assertEquals(501, status("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"));
    assertEquals(431, status("GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n"));
    assertEquals(431, status("GET / HTTP/1.1\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n"));
    assertEquals(
        400, status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n"));
  }

  @Test
  void acceptsAbsoluteFormTargets() throws IOException {
    String reply =
        RawHttp.exchange(
            watchdog.port(),
            "POST http://example.org/p?q=1 HTTP/1.1\r\nConnection: close\r\n"
                + "Content-Length: 2\r\n\r\nok");
    assertEquals(200, RawHttp.status(reply), reply);
    assertTrue(reply.endsWith("ok"), reply);
  }

  private int status(String request) throws IOException {
    return RawHttp.status(RawHttp.exchange(watchdog.port(), request));
  }

  /** A kept-alive client connection reading one response at a time (Content-Length framed). */
  private static final class Connection implements AutoCloseable {
    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    Connection(int port) throws IOException {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(60_000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    String readHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }

    String readResponse() throws IOException {
      String head = readHead();
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
