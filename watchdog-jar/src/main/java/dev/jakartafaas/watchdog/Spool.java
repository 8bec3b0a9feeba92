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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bytes held until their fate is known (a function's output before its exit code, a chunked body
 * before its length): in memory up to {@link #MEMORY_BYTES}, then in a temporary file, never more
 * than the limit.
 */
final class Spool implements Closeable {

  static final int MEMORY_BYTES = 1024 * 1024;
  static final int CHUNK_BYTES = 64 * 1024;

  /**
   * Chunks are reused across requests, so a busy watchdog does not allocate (and collect) a
   * megabyte per call; at most this many are kept.
   */
  private static final int POOLED_CHUNKS = 128;

  private static final ConcurrentLinkedQueue<byte[]> POOL = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger POOL_SIZE = new AtomicInteger();

  private final long limit;
  private final List<byte[]> chunks = new ArrayList<>(2);
  private int lastUsed = CHUNK_BYTES;
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
      int left = length;
      int from = offset;
      while (left > 0) {
        byte[] chunk = chunkWithRoom();
        int n = Math.min(left, CHUNK_BYTES - lastUsed);
        System.arraycopy(bytes, from, chunk, lastUsed, n);
        lastUsed += n;
        from += n;
        left -= n;
      }
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

  /**
   * Reads the stream to its end, straight into the chunks while they have room; false if it held
   * more than the limit.
   */
  boolean readFrom(InputStream in, byte[] buffer) throws IOException {
    while (true) {
      if (file == null && memorySize < MEMORY_BYTES) {
        byte[] chunk = chunkWithRoom();
        int room = (int) Math.min(CHUNK_BYTES - lastUsed, MEMORY_BYTES - memorySize);
        int n = in.read(chunk, lastUsed, room);
        if (n < 0) {
          return true;
        }
        if (limit > 0 && size + n > limit) {
          overflowed = true;
          return false;
        }
        lastUsed += n;
        memorySize += n;
        size += n;
      } else {
        int n = in.read(buffer);
        if (n < 0) {
          return true;
        }
        if (!write(buffer, 0, n)) {
          return false;
        }
      }
    }
  }

  private byte[] chunkWithRoom() {
    if (lastUsed < CHUNK_BYTES) {
      return chunks.get(chunks.size() - 1);
    }
    byte[] chunk = POOL.poll();
    if (chunk == null) {
      chunk = new byte[CHUNK_BYTES];
    } else {
      POOL_SIZE.decrementAndGet();
    }
    chunks.add(chunk);
    lastUsed = 0;
    return chunk;
  }

  long size() {
    return size;
  }

  boolean overflowed() {
    return overflowed;
  }

  /** The first {@code n} bytes kept (fewer if fewer are), for sniffing their type. */
  byte[] head(int n) throws IOException {
    byte[] head = new byte[(int) Math.min(n, size)];
    int at = 0;
    for (int i = 0; i < chunks.size() && at < head.length; i++) {
      int used = i == chunks.size() - 1 ? lastUsed : CHUNK_BYTES;
      int take = Math.min(used, head.length - at);
      System.arraycopy(chunks.get(i), 0, head, at, take);
      at += take;
    }
    if (at < head.length && file != null) {
      java.nio.ByteBuffer rest = java.nio.ByteBuffer.wrap(head, at, head.length - at);
      long position = 0;
      while (rest.hasRemaining()) {
        int read = file.read(rest, position);
        if (read < 0) {
          break;
        }
        position += read;
      }
    }
    return head;
  }

  void writeTo(OutputStream out) throws IOException {
    for (int i = 0; i < chunks.size(); i++) {
      out.write(chunks.get(i), 0, i == chunks.size() - 1 ? lastUsed : CHUNK_BYTES);
    }
    if (file != null) {
      file.position(0);
      InputStream in = Channels.newInputStream(file);
      in.transferTo(out);
    }
  }

  @Override
  public void close() throws IOException {
    for (byte[] chunk : chunks) {
      if (POOL_SIZE.incrementAndGet() <= POOLED_CHUNKS) {
        POOL.offer(chunk);
      } else {
        POOL_SIZE.decrementAndGet();
      }
    }
    chunks.clear();
    lastUsed = CHUNK_BYTES;
    if (file != null) {
      file.close();
      Files.deleteIfExists(filePath);
      file = null;
    }
  }
}
