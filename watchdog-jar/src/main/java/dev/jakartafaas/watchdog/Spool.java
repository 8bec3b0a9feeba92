package dev.jakartafaas.watchdog;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes held until their fate is known (a function's output before its exit code, a chunked body
 * before its length): in memory up to {@link #MEMORY_BYTES}, then in a temporary file, never more
 * than the limit.
 */
final class Spool implements Closeable {

  static final int MEMORY_BYTES = 1024 * 1024;

  private final long limit;
  private final List<byte[]> chunks = new ArrayList<>(2);
  private long size;
  private long memorySize;
  private FileChannel file;
  private Path filePath;
  private boolean overflowed;

  /**
   * @param limit most bytes kept; 0 means no limit
   */
  Spool(long limit) {
    this.limit = limit;
  }

  /** Keeps the bytes; false (and nothing kept) once the limit would be passed. */
  boolean write(byte[] bytes, int offset, int length) throws IOException {
    if (overflowed || (limit > 0 && size + length > limit)) {
      overflowed = true;
      return false;
    }
    // Once bytes went to the file, everything after them must follow there to keep the order.
    if (file == null && memorySize + length <= MEMORY_BYTES) {
      byte[] copy = new byte[length];
      System.arraycopy(bytes, offset, copy, 0, length);
      chunks.add(copy);
      memorySize += length;
    } else {
      if (file == null) {
        filePath = Files.createTempFile("watchdog-", ".spool");
        file =
            FileChannel.open(
                filePath,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
      }
      file.write(java.nio.ByteBuffer.wrap(bytes, offset, length));
    }
    size += length;
    return true;
  }

  /** Reads the stream to its end; false if it held more than the limit. */
  boolean readFrom(InputStream in, byte[] buffer) throws IOException {
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (!write(buffer, 0, n)) {
        return false;
      }
    }
    return true;
  }

  long size() {
    return size;
  }

  boolean overflowed() {
    return overflowed;
  }

  void writeTo(OutputStream out) throws IOException {
    for (byte[] chunk : chunks) {
      out.write(chunk);
    }
    if (file != null) {
      file.position(0);
      InputStream in = Channels.newInputStream(file);
      in.transferTo(out);
    }
  }

  @Override
  public void close() throws IOException {
    chunks.clear();
    if (file != null) {
      file.close();
      Files.deleteIfExists(filePath);
      file = null;
    }
  }
}
