package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogStreamReaderTest {

  private static void frame(ByteArrayOutputStream out, int stream, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(
        new byte[] {
          (byte) stream,
          0,
          0,
          0,
          0,
          (byte) (b.length >> 16),
          (byte) (b.length >> 8),
          (byte) b.length
        });
    out.writeBytes(b);
  }

  /** Hands out at most {@code chunk} bytes a read, as a network stream does. */
  private static InputStream trickle(byte[] bytes, int chunk) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  private static List<String> read(byte[] bytes, int chunk) throws IOException {
    LogStreamReader r = new LogStreamReader(trickle(bytes, chunk));
    List<String> lines = new ArrayList<>();
    for (String l = r.next(); l != null; l = r.next()) {
      lines.add(l);
    }
    assertNull(r.next());
    return lines;
  }

  @ParameterizedTest(name = "{0} bytes a read")
  @ValueSource(ints = {1, 3, 7, 8, 9, 4096})
  void readsMultiplexedFramesLineByLineHoweverTheyArrive(int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, 1, "2026-12-03T14:00:00.000000001Z com.docker.swarm.task.id=t1 first\n");
    frame(out, 2, "second ");
    frame(out, 2, "half\r\nthird\n");
    frame(out, 1, "");
    frame(out, 1, "no newline at end");
    List<String> expected =
        List.of(
            "2026-12-03T14:00:00.000000001Z com.docker.swarm.task.id=t1 first",
            "second half",
            "third",
            "no newline at end");
    assertEquals(expected, read(out.toByteArray(), chunk));
  }

  @ParameterizedTest(name = "{0} bytes a read")
  @ValueSource(ints = {1, 5, 4096})
  void readsAPlainStreamOfATtyService(int chunk) throws IOException {
    byte[] plain = "a line\nanother\n\nlast".getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of("a line", "another", "", "last"), read(plain, chunk));
  }

  @ParameterizedTest(name = "{0} bytes a read")
  @ValueSource(ints = {1, 4096})
  void cutsALineLongerThanTheLimit(int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, 1, "x".repeat(LogStreamReader.MAX_LINE + 5) + "\n");
    List<String> lines = read(out.toByteArray(), chunk);
    assertEquals(2, lines.size());
    assertEquals(LogStreamReader.MAX_LINE, lines.get(0).length());
    assertEquals("xxxxx", lines.get(1));
  }

  @ParameterizedTest(name = "{0} bytes a read")
  @ValueSource(ints = {1, 4096})
  void anEmptyOrCutStreamEndsCleanly(int chunk) throws IOException {
    assertEquals(List.of(), read(new byte[0], chunk));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, 1, "whole\n");
    out.writeBytes(new byte[] {1, 0, 0, 0, 0, 0, 0, 9, 'c', 'u'});
    assertEquals(List.of("whole", "cu"), read(out.toByteArray(), chunk));
  }
}
