package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jakartafaas.backend.entity.LogFollow;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.LogSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogRingTest {

  private static LogLine line(int second) {
    return new LogLine("f", "f-1", Instant.ofEpochSecond(second), "line " + second);
  }

  private static List<String> texts(List<LogLine> lines) {
    return lines.stream().map(LogLine::text).toList();
  }

  @Test
  void keepsOnlyTheNewestLines() {
    LogRing ring = new LogRing(3);
    for (int i = 1; i <= 5; i++) {
      ring.add(line(i));
    }
    assertEquals(List.of("line 3", "line 4", "line 5"), texts(ring.select(-1, null)));
  }

  @Test
  void selectsTheTailAndLinesSinceAnInstant() {
    LogRing ring = new LogRing(10);
    for (int i = 1; i <= 5; i++) {
      ring.add(line(i));
    }
    assertEquals(List.of("line 4", "line 5"), texts(ring.select(2, null)));
    assertEquals(
        List.of("line 3", "line 4", "line 5"), texts(ring.select(-1, Instant.ofEpochSecond(3))));
    assertEquals(List.of("line 5"), texts(ring.select(1, Instant.ofEpochSecond(3))));
    assertEquals(List.of(), texts(ring.select(0, null)));
  }

  /** A sink that records what it is handed, as the gateway's followers are handed it. */
  static final class Recording implements LogSink {
    final List<String> lines = new ArrayList<>();
    String ended;

    @Override
    public synchronized void line(LogLine line) {
      lines.add(line.text());
    }

    @Override
    public synchronized void end(String why) {
      ended = why;
    }
  }

  @Test
  void followHandsTheSelectedKeptLinesThenEveryNewOne() {
    LogRing ring = new LogRing(10);
    for (int i = 1; i <= 5; i++) {
      ring.add(line(i));
    }
    Recording sink = new Recording();
    LogFollow follow = ring.follow(2, Instant.ofEpochSecond(2), sink);
    ring.add(line(6));
    assertEquals(List.of("line 4", "line 5", "line 6"), sink.lines);
    assertEquals(1, ring.followers());
    follow.close();
    follow.close();
    ring.add(line(7));
    assertEquals(List.of("line 4", "line 5", "line 6"), sink.lines);
    assertEquals(0, ring.followers());
    assertNull(sink.ended);
  }

  @Test
  void endTellsEveryFollowerAndLetsThemGo() {
    LogRing ring = new LogRing(10);
    ring.add(line(1));
    Recording a = new Recording();
    Recording b = new Recording();
    ring.follow(-1, null, a);
    ring.follow(0, null, b);
    ring.end("function f was removed");
    assertEquals("function f was removed", a.ended);
    assertEquals("function f was removed", b.ended);
    assertEquals(0, ring.followers());
    Recording late = new Recording();
    ring.follow(-1, null, late);
    assertEquals(List.of("line 1"), late.lines);
    assertEquals("function f was removed", late.ended);
    assertEquals(0, ring.followers());
  }

  @Test
  void linesAddedWhileFollowersComeAndGoAreNeitherLostNorRepeated() throws Exception {
    LogRing ring = new LogRing(100_000);
    int writers = 2;
    int each = 5_000;
    Thread[] threads = new Thread[writers];
    for (int w = 0; w < writers; w++) {
      int id = w;
      threads[w] =
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  ring.add(new LogLine("f", "f-" + id, Instant.now(), id + ":" + i));
                }
              });
      threads[w].start();
    }
    Recording sink = new Recording();
    LogFollow follow = ring.follow(-1, null, sink);
    for (Thread t : threads) {
      t.join(60_000);
    }
    follow.close();
    assertEquals(writers * each, sink.lines.size());
    assertEquals(writers * each, sink.lines.stream().distinct().count());
  }
}
