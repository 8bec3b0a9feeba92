package dev.jakartafaas.invocation.control;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 chunked transfer coding as the proxy writes it (a request body of unknown length, on its
 * way to a replica) and reads it (a replica's chunked answer): the gateway's one codec.
 */
final class Chunked {

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private Chunked() {}

  /** Writes one chunk: its size in hex, the bytes, CRLF. {@code length} must be above 0. */
  static void writeChunk(OutputStream out, byte[] b, int off, int length) throws IOException {
    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b, off, length);
    out.write(CRLF);
  }

  /** Writes the last chunk, without trailers. */
  static void writeEnd(OutputStream out) throws IOException {
    out.write(LAST_CHUNK);
  }

  /**
   * The size of the chunk a size line announces (extensions after {@code ;} ignored).
   *
   * @return the size, or -1 when the line is not a chunk size
   */
  static long size(String sizeLine) {
    int semi = sizeLine.indexOf(';');
    String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
    try {
      long size = Long.parseLong(hex, 16);
      return size < 0 ? -1 : size;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
