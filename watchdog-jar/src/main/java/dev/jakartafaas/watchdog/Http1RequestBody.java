package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The request body of an {@link Http1Exchange} as its handler reads it, framed by Content-Length or
 * by chunks. It answers {@code Expect: 100-continue} on the first read, so a client that waits for
 * it sends the body only to a handler that wants it.
 */
abstract sealed class Http1RequestBody extends InputStream
    permits Http1RequestBody.Fixed, Http1RequestBody.InChunks {

  final Http1Connection connection;
  private final boolean expectContinue;
  private final BooleanSupplier responseStarted;
  private boolean continueSent;

  private Http1RequestBody(
      Http1Connection connection, boolean expectContinue, BooleanSupplier responseStarted) {
    this.connection = connection;
    this.expectContinue = expectContinue;
    this.responseStarted = responseStarted;
  }

  /** The body of a request whose head is {@code head}. */
  static Http1RequestBody of(
      Http1Connection connection, Http1RequestHead head, BooleanSupplier responseStarted) {
    return head.chunked()
        ? new InChunks(connection, head.expectContinue(), responseStarted)
        : new Fixed(
            connection, head.expectContinue(), responseStarted, Math.max(0, head.contentLength()));
  }

  /** True if so little of the body is unread that it can be skipped to reuse the connection. */
  abstract boolean nearlyRead();

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  void sendContinueOnce() throws IOException {
    if (expectContinue && !continueSent && !responseStarted.getAsBoolean()) {
      continueSent = true;
      connection.out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      connection.out.flush();
    }
  }

  /** A request body of known length. */
  static final class Fixed extends Http1RequestBody {
    private long remaining;

    Fixed(
        Http1Connection connection,
        boolean expectContinue,
        BooleanSupplier responseStarted,
        long length) {
      super(connection, expectContinue, responseStarted);
      this.remaining = length;
    }

    @Override
    boolean nearlyRead() {
      return remaining <= Http1Connection.DRAIN_BYTES;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      if (length == 0) {
        return 0;
      }
      sendContinueOnce();
      int n = connection.read(target, offset, (int) Math.min(length, remaining));
      if (n < 0) {
        throw new IOException("Client closed the connection before sending the whole body");
      }
      remaining -= n;
      return n;
    }

    @Override
    public int available() {
      return 0;
    }
  }

  /** A chunked request body; trailers are read and dropped. */
  static final class InChunks extends Http1RequestBody {
    private long chunkLeft;
    private boolean done;

    InChunks(Http1Connection connection, boolean expectContinue, BooleanSupplier responseStarted) {
      super(connection, expectContinue, responseStarted);
    }

    @Override
    boolean nearlyRead() {
      return done;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (done) {
        return -1;
      }
      if (length == 0) {
        return 0;
      }
      sendContinueOnce();
      if (chunkLeft == 0) {
        chunkLeft = nextChunkSize();
        if (chunkLeft == 0) {
          skipTrailers();
          done = true;
          return -1;
        }
      }
      int n = connection.read(target, offset, (int) Math.min(length, chunkLeft));
      if (n < 0) {
        throw new IOException("Client closed the connection in a chunk");
      }
      chunkLeft -= n;
      if (chunkLeft == 0) {
        String crlf = connection.readLine(2);
        if (crlf == null || !crlf.isEmpty()) {
          throw new Http1Server.BadRequest(400, "Malformed chunk in the request body.");
        }
      }
      return n;
    }

    private long nextChunkSize() throws IOException {
      String sizeLine = connection.readLine(Http1RequestHead.MAX_LINE_BYTES);
      if (sizeLine == null) {
        throw new IOException("Client closed the connection in a chunked body");
      }
      long size = Chunked.size(sizeLine);
      if (size < 0) {
        throw new Http1Server.BadRequest(400, "Malformed chunk size in the request body.");
      }
      return size;
    }

    private void skipTrailers() throws IOException {
      String trailer;
      int trailers = 0;
      while ((trailer = connection.readLine(Http1RequestHead.MAX_LINE_BYTES)) != null
          && !trailer.isEmpty()) {
        if (++trailers > Http1RequestHead.MAX_HEADERS) {
          throw new Http1Server.BadRequest(431, "Too many trailers.");
        }
      }
    }
  }
}
