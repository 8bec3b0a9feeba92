package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The response body of an {@link Http1Exchange}, framed as its head announced: a fixed length that
 * must be met exactly, chunks, or (HTTP/1.0 without a length) bytes until the connection closes.
 */
final class Http1ResponseBody {

  private Http1ResponseBody() {}

  /**
   * Exactly {@code length} bytes; if it is closed short, {@code onShort} runs and the connection is
   * closed, since the client could not tell where the answer ends.
   */
  static OutputStream fixed(Http1Connection connection, long length, Runnable onShort) {
    return new Fixed(connection, length, onShort);
  }

  static OutputStream chunked(Http1Connection connection) {
    return new InChunks(connection);
  }

  static OutputStream untilClose(Http1Connection connection) {
    return new UntilClose(connection);
  }

  private static final class Fixed extends OutputStream {
    private final Http1Connection connection;
    private final Runnable onShort;
    private long remaining;

    Fixed(Http1Connection connection, long length, Runnable onShort) {
      this.connection = connection;
      this.remaining = length;
      this.onShort = onShort;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (length > remaining) {
        throw new IOException("More bytes than the announced Content-Length");
      }
      connection.out.write(bytes, offset, length);
      remaining -= length;
    }

    @Override
    public void close() throws IOException {
      if (remaining > 0) {
        onShort.run();
        connection.out.flush();
        connection.close();
        throw new IOException("Response ended before its announced Content-Length");
      }
    }
  }

  private static final class InChunks extends OutputStream {
    private final Http1Connection connection;
    private boolean closed;

    InChunks(Http1Connection connection) {
      this.connection = connection;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (length == 0) {
        return;
      }
      Chunked.writeChunk(connection.out, bytes, offset, length);
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        Chunked.writeEnd(connection.out);
      }
    }
  }

  private static final class UntilClose extends OutputStream {
    private final Http1Connection connection;

    UntilClose(Http1Connection connection) {
      this.connection = connection;
    }

    @Override
    public void write(int b) throws IOException {
      connection.out.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      connection.out.write(bytes, offset, length);
    }
  }
}
