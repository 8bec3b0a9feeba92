package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Moves body bytes for {@link ProxyHandler}, the client's to the function and the function's back,
 * through one buffer per thread, re-framing chunked bodies and enforcing {@code max_body_bytes} and
 * {@code max_output_bytes} while the bytes stream.
 */
final class BodyCopy {

  private static final int BUFFER_BYTES = 16 * 1024;
  private static final ThreadLocal<byte[]> BUFFERS =
      ThreadLocal.withInitial(() -> new byte[BUFFER_BYTES]);

  private BodyCopy() {}

  /** Thrown when the client's body goes over {@code max_body_bytes} while it streams. */
  static final class BodyTooLarge extends IOException {
    BodyTooLarge() {
      super("body too large");
    }
  }

  /** Copies exactly {@code length} bytes; fails if {@code in} ends first. */
  static void exactly(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = BUFFERS.get();
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("Client body ended early");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  /**
   * Writes all of {@code in} as chunks and the last chunk; above {@code maxBytes} (0: none) fails.
   */
  static void toChunks(InputStream in, OutputStream out, long maxBytes) throws IOException {
    byte[] buffer = BUFFERS.get();
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (n == 0) {
        continue;
      }
      total += n;
      if (maxBytes > 0 && total > maxBytes) {
        throw new BodyTooLarge();
      }
      Chunked.writeChunk(out, buffer, 0, n);
    }
    Chunked.writeEnd(out);
  }

  /**
   * Copies the data of a chunked body to {@code out}, trailers dropped; above {@code limit} fails.
   */
  static void fromChunks(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buffer = BUFFERS.get();
    long total = 0;
    while (true) {
      long size = Chunked.size(readAsciiLine(in));
      if (size < 0) {
        throw new IOException("Upstream sent a bad chunk size");
      }
      if (size == 0) {
        while (!readAsciiLine(in).isEmpty()) {
          // trailers are dropped
        }
        return;
      }
      total += size;
      if (limit > 0 && total > limit) {
        throw new IOException("Function output is over max_output_bytes=" + limit);
      }
      long left = size;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException("Upstream ended in the middle of a chunk");
        }
        out.write(buffer, 0, n);
        left -= n;
      }
      readAsciiLine(in);
    }
  }

  /** Copies until {@code in} ends; above {@code limit} (0: none) fails. */
  static void untilEnd(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buffer = BUFFERS.get();
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      total += n;
      if (limit > 0 && total > limit) {
        throw new IOException("Function output is over max_output_bytes=" + limit);
      }
      out.write(buffer, 0, n);
    }
  }

  private static String readAsciiLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(16);
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (line.length() > 8192) {
        throw new IOException("Upstream sent an overlong chunk line");
      }
      line.append((char) b);
    }
    if (b < 0) {
      throw new IOException("Upstream ended in the middle of a chunked body");
    }
    int len = line.length();
    return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
  }
}
