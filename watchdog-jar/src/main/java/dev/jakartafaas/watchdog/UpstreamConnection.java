package dev.jakartafaas.watchdog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One HTTP/1.1 connection to the upstream function, with the few parsing steps a proxy needs:
 * status line, header lines, chunked and fixed-length bodies. Kept alive between requests; used by
 * one request at a time, so its buffer needs no locking.
 */
final class UpstreamConnection implements AutoCloseable {

  private static final int MAX_LINE = 64 * 1024;

  private final Socket socket;
  private final BufferedOutputStream out;
  private final int generation;
  private boolean used;
  private final LineInput in;

  private UpstreamConnection(Socket socket, int generation) throws IOException {
    this.socket = socket;
    this.in = new LineInput(socket.getInputStream(), 16 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    this.generation = generation;
  }

  static UpstreamConnection open(UpstreamAddress address, int generation) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(address.host(), address.port()), 5_000);
    return new UpstreamConnection(socket, generation);
  }

  /** Kept-alive connections idle longer are not reused: the upstream may be closing them. */
  private static final long MAX_IDLE_NANOS = 2_000_000_000L;

  private long idleSince;

  void markIdle() {
    idleSince = System.nanoTime();
  }

  boolean idleTooLong() {
    return System.nanoTime() - idleSince > MAX_IDLE_NANOS;
  }

  int generation() {
    return generation;
  }

  /** True if it served a request before: a failure on it may be a stale keep-alive. */
  boolean reused() {
    return used;
  }

  void markUsed() {
    used = true;
  }

  boolean usable() {
    return !socket.isClosed();
  }

  OutputStream output() {
    return out;
  }

  /** The response stream, unsynchronised and buffered. */
  InputStream input() {
    return in;
  }

  void readTimeoutMillis(long millis) throws IOException {
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(0, millis)));
  }

  /** A CRLF-terminated line without its terminator; null at end of stream before any byte. */
  String readLine() throws IOException {
    try {
      return in.readLine(MAX_LINE);
    } catch (LineInput.LineTooLong e) {
      throw new IOException("Upstream sent a header line over " + MAX_LINE + " bytes");
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Already gone.
    }
  }
}
