package dev.jakartafaas.backend.swarm.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Docker log stream into lines. Without a TTY the engine multiplexes stdout and stderr:
 * each chunk has an 8-byte header (stream, three zero bytes, big-endian length); with a TTY the
 * stream is plain text.
 */
public final class LogStream {

  private LogStream() {}

  public static List<String> lines(byte[] stream) {
    StringBuilder text = new StringBuilder();
    if (isMultiplexed(stream)) {
      int i = 0;
      while (i + 8 <= stream.length) {
        int length =
            ((stream[i + 4] & 0xff) << 24)
                | ((stream[i + 5] & 0xff) << 16)
                | ((stream[i + 6] & 0xff) << 8)
                | (stream[i + 7] & 0xff);
        int start = i + 8;
        int end = (int) Math.min(stream.length, (long) start + Math.max(0, length));
        text.append(new String(stream, start, end - start, StandardCharsets.UTF_8));
        i = end;
      }
    } else {
      text.append(new String(stream, StandardCharsets.UTF_8));
    }
    List<String> lines = new ArrayList<>();
    int from = 0;
    for (int nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
      lines.add(text.substring(from, nl));
      from = nl + 1;
    }
    if (from < text.length()) {
      lines.add(text.substring(from));
    }
    return lines;
  }

  /** Whether the stream's first bytes are a frame header (stream 0, 1 or 2, then three zeros). */
  static boolean isMultiplexed(byte[] s) {
    return s.length >= 8 && s[0] >= 0 && s[0] <= 2 && s[1] == 0 && s[2] == 0 && s[3] == 0;
  }
}
