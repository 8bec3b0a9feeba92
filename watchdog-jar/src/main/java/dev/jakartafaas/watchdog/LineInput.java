package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A socket's input with its own buffer, read one HTTP line or one block at a time. Used by one
 * thread at a time, so it needs none of {@code BufferedInputStream}'s locking.
 */
final class LineInput extends InputStream {

  /** Thrown when a line is longer than the caller allows. */
  static final class LineTooLong extends IOException {
    private static final long serialVersionUID = 1L;

    LineTooLong() {
      super("Line too long");
    }
  }

  private final InputStream in;
  private final byte[] buffer;
  private int position;
  private int limit;

  LineInput(InputStream in, int bufferBytes) {
    this.in = in;
    this.buffer = new byte[bufferBytes];
  }

  /** True if bytes are buffered or arrive; false at a clean end of the stream. */
  boolean await() throws IOException {
    return position < limit || fill();
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  @Override
  public int read() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position++] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (position == limit) {
      if (length >= buffer.length) {
        return in.read(target, offset, length);
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

  /**
   * A line without its CRLF (a bare LF also ends it); null at the end of the stream before any byte
   * of a line.
   *
   * @throws LineTooLong when the line has more than {@code max} bytes
   */
  String readLine(int max) throws IOException {
    StringBuilder line = null;
    while (true) {
      if (position == limit && !fill()) {
        if (line == null) {
          return null;
        }
        throw new IOException("Connection closed in the middle of a line");
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
      if (end - start + (line == null ? 0 : line.length()) > max) {
        throw new LineTooLong();
      }
      String piece = new String(buffer, start, end - start, StandardCharsets.ISO_8859_1);
      if (line == null && complete) {
        return trimCr(piece);
      }
      if (line == null) {
        line = new StringBuilder(64);
      }
      line.append(piece);
      if (complete) {
        return trimCr(line.toString());
      }
    }
  }

  private static String trimCr(String s) {
    int n = s.length();
    return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s;
  }
}
