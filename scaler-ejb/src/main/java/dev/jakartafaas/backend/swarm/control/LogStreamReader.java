package dev.jakartafaas.backend.swarm.control;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a Docker log stream as it arrives, one line at a time: the followed form of {@link
 * LogStream}, for a stream that does not end. Frames of a multiplexed stream may split a line or
 * hold several; a line longer than {@link #MAX_LINE} bytes is cut there.
 */
final class LogStreamReader {

  static final int MAX_LINE = 16 * 1024;

  private final PushbackInputStream in;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private Boolean multiplexed;
  private long frameLeft;

  LogStreamReader(InputStream in) {
    this.in = new PushbackInputStream(new BufferedInputStream(in), 8);
  }

  /** The next line without its newline; null once the stream has ended and nothing is left. */
  String next() throws IOException {
    if (multiplexed == null) {
      byte[] head = in.readNBytes(8);
      multiplexed = LogStream.isMultiplexed(head);
      in.unread(head);
    }
    while (true) {
      int b = nextByte();
      if (b < 0) {
        return line.size() > 0 ? take() : null;
      }
      if (b == '\n') {
        return take();
      }
      line.write(b);
      if (line.size() >= MAX_LINE) {
        return take();
      }
    }
  }

  private int nextByte() throws IOException {
    if (!multiplexed) {
      return in.read();
    }
    while (frameLeft == 0) {
      byte[] header = in.readNBytes(8);
      if (header.length < 8) {
        return -1;
      }
      frameLeft =
          ((header[4] & 0xffL) << 24)
              | ((header[5] & 0xffL) << 16)
              | ((header[6] & 0xffL) << 8)
              | (header[7] & 0xffL);
    }
    int b = in.read();
    if (b >= 0) {
      frameLeft--;
    }
    return b;
  }

  private String take() {
    String s = line.toString(StandardCharsets.UTF_8);
    line.reset();
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
