package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 chunked transfer coding, the watchdog's one codec: the server reads chunked request
 * bodies and writes chunked answers, the {@code mode=http} proxy writes chunked bodies to its
 * upstream and reads its chunked answers.
 */
final class Chunked {

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private Chunked() {}

  /** Writes one chunk: its size in hex, the bytes, CRLF. {@code length} must be above 0. */
  static void writeChunk(OutputStream out, byte[] b, int off, int length) throws IOException {
    out.write(Integer.toHexString(length).getBytes(StandardCharsets.ISO_8859_1));
    out.write(CRLF);
    out.write(b, off, length);
    out.write(CRLF);
  }

  /** Writes the last chunk, without trailers. */
  static void writeEnd(OutputStream out) throws IOException {
    out.write(LAST_CHUNK);
  }

  /**
   * The size a chunk's size line announces (extensions after {@code ;} ignored).
   *
   * @return the size, or -1 when the line is not a chunk size
   */
  static long size(String sizeLine) {
    int semicolon = sizeLine.indexOf(';');
    String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
    try {
      long size = Long.parseLong(hex, 16);
      return size < 0 ? -1 : size;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
