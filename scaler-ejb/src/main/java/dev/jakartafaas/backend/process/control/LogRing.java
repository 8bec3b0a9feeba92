package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.backend.entity.LogLine;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest output lines of a function's replicas, bounded so that chatty functions cost little.
 */
public final class LogRing {

  private final int capacity;
  private final ArrayDeque<LogLine> lines;

  public LogRing(int capacity) {
    this.capacity = Math.max(1, capacity);
    this.lines = new ArrayDeque<>(Math.min(this.capacity, 1024));
  }

  public synchronized void add(LogLine line) {
    if (lines.size() == capacity) {
      lines.removeFirst();
    }
    lines.addLast(line);
  }

  /**
   * Lines at or after {@code since} (null: all), at most the {@code tail} newest (negative: all).
   */
  public synchronized List<LogLine> select(int tail, Instant since) {
    List<LogLine> selected = new ArrayList<>();
    for (LogLine l : lines) {
      if (since == null || !l.timestamp().isBefore(since)) {
        selected.add(l);
      }
    }
    if (tail >= 0 && selected.size() > tail) {
      return new ArrayList<>(selected.subList(selected.size() - tail, selected.size()));
    }
    return selected;
  }
}
