package dev.jakartafaas.watchdog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 connection to the upstream function, with the few parsing steps a proxy needs:
 * status line, header lines, chunked and fixed-length bodies. Kept alive between requests; used by
 * one request at a time, so its buffer needs no locking.
 */
final class UpstreamConnection implements AutoCloseable {

  private static final int MAX_LINE = 64 * 1024;

  private final Socket socket;
  private final InputStream socketIn;
  private final BufferedOutputStream out;
  private final int generation;
  private final byte[] buffer = new byte[16 * 1024];
  private int position;
  private int limit;
  private boolean used;
  private final InputStream in =
      new InputStream() {
        @Override
        public int read() throws IOException {
          return readByte();
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
          return readInto(target, offset, length);
        }
      };

  private UpstreamConnection(Socket socket, int generation) throws IOException {
    this.socket = socket;
    this.socketIn = socket.getInputStream();
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

  private boolean fill() throws IOException {
    int n = socketIn.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  private int readByte() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position++] & 0xff;
  }

  private int readInto(byte[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (position == limit) {
      if (length >= buffer.length) {
        return socketIn.read(target, offset, length);
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(length, limit - position);
    System.arraycopy(buffer, position, target, offset, n);
    position += n;
    return n;
  }

  /** A CRLF-terminated line without its terminator; null at end of stream before any byte. */
  String readLine() throws IOException {
    StringBuilder line = null;
    while (true) {
      if (position == limit && !fill()) {
        if (line == null) {
          return null;
        }
        throw new IOException("Upstream closed the connection in the middle of a line");
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      boolean complete = position < limit;
      int end = position;
      if (complete) {
        position++;
      }
      String piece = new String(buffer, start, end - start, StandardCharsets.ISO_8859_1);
      if (line == null && complete) {
        return trimCr(piece);
      }
      if (line == null) {
        line = new StringBuilder(piece.length() * 2);
      }
      line.append(piece);
      if (line.length() > MAX_LINE) {
        throw new IOException("Upstream sent a header line over " + MAX_LINE + " bytes");
      }
      if (complete) {
        return trimCr(line.toString());
      }
    }
  }

  private static String trimCr(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
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
