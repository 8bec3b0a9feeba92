package dev.jakartafaas.backend.swarm.control;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A followed log stream of the engine on a connection of its own. The request is HTTP/1.0, so the
 * body comes raw and ends with the connection; closing the returned stream closes the channel,
 * which ends a read blocked on it at once. A pooled client's chunked stream does not do that: its
 * close reads on to the end of a stream that never ends.
 */
final class EngineLogStream {

  private static final int MAX_HEAD = 16 * 1024;

  private EngineLogStream() {}

  /**
   * Sends {@code GET path} to the engine at {@code dockerHost} ({@code unix:///path} or {@code
   * tcp://host:port}) and returns the body of a 200 answer.
   *
   * @throws NotFoundException when the engine answers 404 (the service is gone)
   * @throws IOException when it cannot be reached or answers anything else
   */
  static InputStream open(String dockerHost, String path, Duration connectTimeout)
      throws IOException {
    SocketChannel channel = connect(URI.create(dockerHost), connectTimeout);
    try {
      String request =
          "GET " + path + " HTTP/1.0\r\nHost: docker\r\nUser-Agent: jakarta-faas\r\n\r\n";
      ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
      while (out.hasRemaining()) {
        channel.write(out);
      }
      InputStream in = Channels.newInputStream(channel);
      int status = status(readHead(in));
      if (status == 200) {
        return in;
      }
      String body = new String(in.readNBytes(1024), StandardCharsets.UTF_8).strip();
      channel.close();
      if (status == 404) {
        throw new NotFoundException(body);
      }
      throw new IOException("the Docker engine answered " + status + ": " + body);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static SocketChannel connect(URI host, Duration timeout) throws IOException {
    if ("unix".equals(host.getScheme())) {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.connect(UnixDomainSocketAddress.of(host.getPath()));
      } catch (IOException e) {
        ch.close();
        throw e;
      }
      return ch;
    }
    if ("tcp".equals(host.getScheme()) || "http".equals(host.getScheme())) {
      SocketChannel ch = SocketChannel.open();
      try {
        ch.socket()
            .connect(
                new InetSocketAddress(host.getHost(), host.getPort() < 0 ? 2375 : host.getPort()),
                (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      } catch (IOException e) {
        ch.close();
        throw e;
      }
      return ch;
    }
    throw new IOException("the Docker host " + host + " is neither unix:// nor tcp://");
  }

  /** The answer's head, up to its blank line; the stream is left at the body's first byte. */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the Docker engine closed the connection before answering");
      }
      head.write(b);
      if (head.size() > MAX_HEAD) {
        throw new IOException("the Docker engine's answer has a head over " + MAX_HEAD + " bytes");
      }
      last4 = (last4 << 8) | b;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** The status code of a head's first line, {@code HTTP/1.x NNN reason}. */
  static int status(String head) throws IOException {
    String[] parts = head.split("\r\n", 2)[0].split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("the Docker engine's answer is not HTTP: " + parts[0]);
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("the Docker engine's answer has no status: " + parts[0]);
    }
  }
}
