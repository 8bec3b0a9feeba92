package dev.jakartafaas.invocation.control;

import dev.jakartafaas.backend.entity.ReplicaAddress;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * One keep-alive HTTP/1.1 connection to a replica, with its own read buffer. Used by one request at
 * a time; returned to its {@link Upstream}'s pool when the exchange ended cleanly.
 */
final class UpstreamConnection implements Closeable {

  static final int MAX_HEAD = 64 * 1024;

  private final Socket socket;
  private final InputStream in;
  final OutputStream out;
  private final byte[] buffer = new byte[16 * 1024];
  private int pos;
  private int limit;
  long idleSince;
  boolean reused;

  private UpstreamConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static UpstreamConnection open(ReplicaAddress address, int connectMillis, int readMillis)
      throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(address.host(), address.port()), connectMillis);
      s.setSoTimeout(readMillis);
      return new UpstreamConnection(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** Reads the response head; skips interim 1xx responses. */
  ResponseHead readHead() throws IOException {
    while (true) {
      List<String> lines = new ArrayList<>(16);
      int total = 0;
      while (true) {
        String line = readLine(MAX_HEAD - total);
        if (line == null) {
          throw new EOFException("connection closed before the response head ended");
        }
        if (line.isEmpty()) {
          if (lines.isEmpty()) {
            continue;
          }
          break;
        }
        total += line.length() + 2;
        lines.add(line);
      }
      ResponseHead head;
      try {
        head = ResponseHead.parse(lines);
      } catch (IllegalArgumentException e) {
        throw new MalformedResponseException(e.getMessage());
      }
      if (head.status() >= 200 || head.status() == 101) {
        return head;
      }
    }
  }

  /** True once a byte of the response arrived: the request can no longer be retried. */
  boolean receivedAnything() {
    return limit > 0;
  }

  /** Copies exactly {@code length} body bytes. */
  void copyFixed(long length, BodySink sink) throws IOException {
    long left = length;
    while (left > 0) {
      if (pos == limit && fill() < 0) {
        throw new EOFException("replica closed the connection " + left + " bytes early");
      }
      int n = (int) Math.min(left, limit - pos);
      left -= n;
      sink.write(buffer, pos, n, left > 0 && pos + n == limit && in.available() == 0);
      pos += n;
    }
  }

  /** Copies a chunked body, decoding it, and consumes the trailers. */
  void copyChunked(BodySink sink) throws IOException {
    while (true) {
      String sizeLine = readLine(1024);
      if (sizeLine == null) {
        throw new EOFException("replica closed the connection inside a chunked body");
      }
      long size = Chunked.size(sizeLine);
      if (size < 0) {
        throw new MalformedResponseException("bad chunk size: " + sizeLine);
      }
      if (size == 0) {
        String trailer;
        do {
          trailer = readLine(MAX_HEAD);
        } while (trailer != null && !trailer.isEmpty());
        return;
      }
      copyFixed(size, sink);
      readLine(2);
      if (pos == limit && in.available() == 0) {
        sink.flush();
      }
    }
  }

  /** Copies until the replica closes the connection. */
  void copyToEnd(BodySink sink) throws IOException {
    while (true) {
      if (pos == limit && fill() < 0) {
        return;
      }
      int n = limit - pos;
      sink.write(buffer, pos, n, in.available() == 0);
      pos += n;
    }
  }

  /** A line without its CRLF, decoded as ISO-8859-1; null at end of stream. */
  private String readLine(int max) throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      if (pos == limit && fill() < 0) {
        return line.length() == 0 ? null : line.toString();
      }
      byte b = buffer[pos++];
      if (b == '\n') {
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
          line.setLength(len - 1);
        }
        return line.toString();
      }
      if (line.length() >= max) {
        throw new MalformedResponseException("response head larger than " + MAX_HEAD + " bytes");
      }
      line.append((char) (b & 0xff));
    }
  }

  private int fill() throws IOException {
    if (pos == limit) {
      pos = 0;
      limit = 0;
    }
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n > 0) {
      limit += n;
    }
    return n;
  }

  /** Forgets what was read, for the next exchange on this connection. */
  void resetForReuse() {
    pos = 0;
    limit = 0;
    reused = true;
  }

  boolean hasUnreadBytes() {
    return pos < limit;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }

  /** Where body bytes go: the client's response. */
  interface BodySink {
    /**
     * @param flushHint true when no more bytes are at hand, so a streaming client should see these
     */
    void write(byte[] b, int off, int len, boolean flushHint) throws IOException;

    void flush() throws IOException;
  }

  /** The replica's answer is not HTTP/1.1 as expected. */
  static final class MalformedResponseException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedResponseException(String message) {
      super(message);
    }
  }
}
