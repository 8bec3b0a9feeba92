package dev.jakartafaas.invocation.control;

import dev.jakartafaas.problems.entity.PayloadTooLargeException;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The caller's request body on its way to a replica: read whole when small (so the request can be
 * sent again), else streamed, as it came or chunked, and cut off past the size limit. A failure to
 * read it is the caller's ({@link ClientGoneException}).
 */
final class RequestBody {

  /** Bodies up to this size are read before sending, which makes the request repeatable. */
  static final int REPEATABLE = 64 * 1024;

  private static final int STREAM_BUFFER = 16 * 1024;

  private RequestBody() {}

  static PayloadTooLargeException tooLarge(long max) {
    return new PayloadTooLargeException(
        "request body larger than " + max + " bytes (faas.gateway.max-body-bytes)");
  }

  /** Reads exactly {@code length} bytes. */
  static byte[] readFully(InputStream in, int length) throws ClientGoneException {
    byte[] body = new byte[length];
    int off = 0;
    try {
      while (off < length) {
        int n = in.read(body, off, length - off);
        if (n < 0) {
          throw new EOFException("request body ended after " + off + " bytes");
        }
        off += n;
      }
    } catch (IOException e) {
      throw new ClientGoneException(e);
    }
    return body;
  }

  /** The head and the small body (or none) in one write. */
  static void writeWhole(OutputStream socket, byte[] head, byte[] small) throws IOException {
    int bodyLength = small == null ? 0 : small.length;
    byte[] all = new byte[head.length + bodyLength];
    System.arraycopy(head, 0, all, 0, head.length);
    if (small != null) {
      System.arraycopy(small, 0, all, head.length, bodyLength);
    }
    socket.write(all);
  }

  /** Sends the head and streams the body; a chunked body that grows past {@code max} is cut off. */
  static void stream(
      InputStream in, OutputStream socket, byte[] head, long length, boolean chunked, long max)
      throws IOException {
    OutputStream out = new BufferedOutputStream(socket, STREAM_BUFFER + 32);
    out.write(head);
    byte[] buffer = new byte[STREAM_BUFFER];
    long left = length;
    long sent = 0;
    while (chunked || left > 0) {
      int n;
      try {
        n = in.read(buffer, 0, chunked ? buffer.length : (int) Math.min(buffer.length, left));
      } catch (IOException e) {
        throw new ClientGoneException(e);
      }
      if (n < 0) {
        if (chunked) {
          break;
        }
        throw new ClientGoneException(new EOFException("request body ended early"));
      }
      if (chunked) {
        if (n == 0) {
          continue;
        }
        sent += n;
        if (sent > max) {
          throw tooLarge(max);
        }
        Chunked.writeChunk(out, buffer, 0, n);
      } else {
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    if (chunked) {
      Chunked.writeEnd(out);
    }
    out.flush();
  }
}
