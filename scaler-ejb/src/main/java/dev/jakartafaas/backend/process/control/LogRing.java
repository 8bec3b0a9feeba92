package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.backend.entity.LogFollow;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.LogSink;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest output lines of a function's replicas, bounded so that chatty functions cost little,
 * and the followers that get each new line as it is added. Kept lines and new ones are handed to a
 * follower under the same lock as {@link #add}, so none is lost or repeated between them.
 */
public final class LogRing {

  private final int capacity;
  private final ArrayDeque<LogLine> lines;
  private final List<LogSink> followers = new ArrayList<>();
  private String ended;

  public LogRing(int capacity) {
    this.capacity = Math.max(1, capacity);
    this.lines = new ArrayDeque<>(Math.min(this.capacity, 1024));
  }

  public synchronized void add(LogLine line) {
    if (lines.size() == capacity) {
      lines.removeFirst();
    }
    lines.addLast(line);
    for (LogSink f : followers) {
      f.line(line);
    }
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

  /** Hands {@code sink} what {@link #select} gives, then every line added until it is closed. */
  public synchronized LogFollow follow(int tail, Instant since, LogSink sink) {
    for (LogLine l : select(tail, since)) {
      sink.line(l);
    }
    if (ended != null) {
      sink.end(ended);
      return () -> {};
    }
    followers.add(sink);
    return () -> unfollow(sink);
  }

  private synchronized void unfollow(LogSink sink) {
    followers.remove(sink);
  }

  /** No more lines will be added (the function was removed): every follower is told and let go. */
  public synchronized void end(String why) {
    ended = why;
    List<LogSink> told = new ArrayList<>(followers);
    followers.clear();
    for (LogSink f : told) {
      f.end(why);
    }
  }

  public synchronized int followers() {
    return followers.size();
  }
}
