package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogStreamTest {

  private static void frame(ByteArrayOutputStream out, int stream, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(
        new byte[] {(byte) stream, 0, 0, 0, 0, 0, (byte) (b.length >> 8), (byte) b.length});
    out.writeBytes(b);
  }

  @Test
  void joinsMultiplexedFramesIntoLines() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, 1, "first line\nsecond ");
    frame(out, 2, "half\n");
    frame(out, 1, "no newline at end");
    assertEquals(
        List.of("first line", "second half", "no newline at end"),
        LogStream.lines(out.toByteArray()));
  }

  @Test
  void readsPlainTextOfATty() {
    assertEquals(List.of("a", "b"), LogStream.lines("a\nb\n".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void emptyStreamHasNoLines() {
    assertEquals(List.of(), LogStream.lines(new byte[0]));
  }

  @Test
  void truncatedFrameKeepsWhatArrived() {
    byte[] truncated = {1, 0, 0, 0, 0, 0, 0, 20, 'h', 'i'};
    assertEquals(List.of("hi"), LogStream.lines(truncated));
  }
}
