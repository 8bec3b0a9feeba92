package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jakartafaas.backend.entity.LogLine;
import java.time.Instant;
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
}
