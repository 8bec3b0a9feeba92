package dev.jakartafaas.invocation.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jakartafaas.backend.entity.ReplicaAddress;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy's HTTP/1.1 reading against a loopback server that answers canned bytes. */
class UpstreamConnectionTest {

  private ServerSocket server;

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void close() throws IOException {
    server.close();
  }

  /** Accepts one connection, reads the request head, answers {@code response}, then closes. */
  private UpstreamConnection answer(String response) throws IOException {
    CompletableFuture.runAsync(
        () -> {
          try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            int matched = 0;
            while (matched < 4) {
              int b = in.read();
              if (b < 0) {
                return;
              }
              matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : 0;
            }
            OutputStream out = s.getOutputStream();
            out.write(response.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
          } catch (IOException e) {
            // the test sees the effect
          }
        });
    UpstreamConnection c =
        UpstreamConnection.open(
            new ReplicaAddress("f", "f-1", "127.0.0.1", server.getLocalPort()), 1000, 5000);
    c.out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return c;
  }

  private static final class Collector implements UpstreamConnection.BodySink {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void write(byte[] b, int off, int len, boolean flushHint) {
      bytes.write(b, off, len);
    }

    @Override
    public void flush() {}

    String text() {
      return bytes.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void readsAFixedLengthBody() throws IOException {
    try (UpstreamConnection c = answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")) {
      ResponseHead h = c.readHead();
      Collector body = new Collector();
      c.copyFixed(h.contentLength(), body);
      assertEquals("hello", body.text());
    }
  }

  @Test
  void decodesAChunkedBodyWithExtensionsAndTrailers() throws IOException {
    try (UpstreamConnection c =
        answer(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n")) {
      ResponseHead h = c.readHead();
      Collector body = new Collector();
      c.copyChunked(body);
      assertEquals("hello world", body.text());
      assertEquals(false, c.hasUnreadBytes());
    }
  }

  @Test
  void readsABodyThatEndsWithTheConnection() throws IOException {
    try (UpstreamConnection c = answer("HTTP/1.0 200 OK\r\n\r\nuntil the end")) {
      ResponseHead h = c.readHead();
      Collector body = new Collector();
      c.copyToEnd(body);
      assertEquals("until the end", body.text());
      assertEquals(false, h.keepAlive());
    }
  }

  @Test
  void skipsInterimResponses() throws IOException {
    try (UpstreamConnection c =
        answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")) {
      assertEquals(201, c.readHead().status());
    }
  }

  @Test
  void aBodyCutShortIsAnError() throws IOException {
    try (UpstreamConnection c = answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")) {
      ResponseHead h = c.readHead();
      assertThrows(EOFException.class, () -> c.copyFixed(h.contentLength(), new Collector()));
    }
  }

  @Test
  void aConnectionClosedBeforeTheHeadIsAnError() throws IOException {
    try (UpstreamConnection c = answer("")) {
      assertThrows(EOFException.class, c::readHead);
      assertEquals(false, c.receivedAnything());
    }
  }

  @Test
  void garbageIsAMalformedResponse() throws IOException {
    try (UpstreamConnection c = answer("SSH-2.0-OpenSSH\r\n\r\n")) {
      assertThrows(UpstreamConnection.MalformedResponseException.class, c::readHead);
    }
  }

  @Test
  void anOversizedHeadIsAMalformedResponse() throws IOException {
    String huge = "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n";
    try (UpstreamConnection c = answer(huge)) {
      assertThrows(UpstreamConnection.MalformedResponseException.class, c::readHead);
    }
  }

  @Test
  void aSilentReplicaTimesOut() throws IOException {
    Socket[] accepted = new Socket[1];
    CompletableFuture.runAsync(
        () -> {
          try {
            accepted[0] = server.accept();
          } catch (IOException e) {
            // closed
          }
        });
    try (UpstreamConnection c =
        UpstreamConnection.open(
            new ReplicaAddress("f", "f-1", "127.0.0.1", server.getLocalPort()), 1000, 200)) {
      assertThrows(SocketTimeoutException.class, c::readHead);
    }
  }
}
