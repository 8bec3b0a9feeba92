package dev.jakartafaas.async.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only file of asynchronous calls, {@code <faas.data-dir>/async/journal.log}: lines
 * appended, forced to disk when asked (concurrent forces share one {@code fsync}), and rewritten
 * whole by compaction (a new file forced, then renamed over the old one). A write that fails is cut
 * off again, so a later line never joins a torn one.
 */
final class Journal implements AutoCloseable {

  static final String FILE = "journal.log";

  private final Path dir;
  private final Path file;
  private FileChannel channel;
  private long written;
  private long generation;

  private final Object forceLock = new Object();
  private long forcedGeneration = -1;
  private long forcedTo;

  Journal(Path dataDir) {
    this.dir = dataDir.resolve("async");
    this.file = dir.resolve(FILE);
  }

  Path file() {
    return file;
  }

  /**
   * The lines of an existing journal after its header (none for a new one); the journal is not
   * writable until {@link #rewrite}.
   *
   * @throws IOException when it cannot be read, or is of another version
   */
  List<String> read() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    // the last element is empty after a final line break, else a torn line: a crash while it was
    // written, before it was forced, so never answered 202
    lines.remove(lines.size() - 1);
    if (lines.isEmpty()) {
      return List.of();
    }
    String header = lines.remove(0);
    if (!header.equals(JournalLines.HEADER)) {
      throw new IOException(
          file
              + " is not a journal of version "
              + JournalLines.VERSION
              + " (its first line is not "
              + JournalLines.HEADER
              + ")");
    }
    return lines;
  }

  /**
   * Replaces the journal with these lines (after the header), forced, then opens it for appends.
   */
  synchronized void rewrite(List<String> lines) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(FILE + ".new");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      StringBuilder b = new StringBuilder(64 * 1024);
      b.append(JournalLines.HEADER).append('\n');
      for (String line : lines) {
        b.append(line).append('\n');
        if (b.length() > 1 << 20) {
          writeFully(out, b);
          b.setLength(0);
        }
      }
      writeFully(out, b);
      out.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    closeChannel();
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    forceDirectory();
    channel = FileChannel.open(file, StandardOpenOption.WRITE);
    written = channel.size();
    channel.position(written);
    generation++;
  }

  /**
   * Appends one line; with {@code force}, returns only once it is on disk.
   *
   * @throws IOException when it could not be written (nothing of it stays in the file) or forced
   */
  void append(String line, boolean force) throws IOException {
    long end;
    long gen;
    FileChannel ch;
    synchronized (this) {
      if (channel == null) {
        throw new IOException(file + " is not open");
      }
      long good = written;
      try {
        writeFully(channel, new StringBuilder(line.length() + 1).append(line).append('\n'));
      } catch (IOException e) {
        try {
          channel.truncate(good);
          channel.position(good);
        } catch (IOException again) {
          closeChannel(); // reopened by the next rewrite (compaction or recovery)
        }
        throw e;
      }
      written = channel.position();
      end = written;
      gen = generation;
      ch = channel;
    }
    if (force) {
      synchronized (forceLock) {
        if (forcedGeneration == gen && forcedTo >= end) {
          return; // another caller's force covered this line
        }
        long upTo;
        synchronized (this) {
          if (generation != gen) {
            return; // compaction rewrote the file, this line included, and forced it
          }
          upTo = written;
        }
        try {
          ch.force(false);
        } catch (java.nio.channels.ClosedChannelException e) {
          synchronized (this) {
            if (generation != gen) {
              return; // compaction replaced the file meanwhile, and forced it whole
            }
          }
          throw e;
        }
        forcedGeneration = gen;
        forcedTo = upTo;
      }
    }
  }

  /** Bytes in the file now. */
  synchronized long size() {
    return written;
  }

  /** Whether appends can be made (false before the first rewrite and after a failed cut-off). */
  synchronized boolean writable() {
    return channel != null;
  }

  @Override
  public synchronized void close() {
    closeChannel();
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing more to lose: every line that was answered for was forced
      }
      channel = null;
    }
  }

  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some file systems cannot open a directory; the rename is still atomic
    }
  }

  private static void writeFully(FileChannel ch, CharSequence text) throws IOException {
    ByteBuffer buf = StandardCharsets.UTF_8.encode(text.toString());
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
