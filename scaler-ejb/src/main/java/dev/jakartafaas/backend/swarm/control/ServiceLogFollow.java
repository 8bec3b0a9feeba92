package dev.jakartafaas.backend.swarm.control;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.jakartafaas.backend.entity.LogFollow;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.LogSink;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One follower of a swarm service's log: a thread reads the engine's followed log stream ({@link
 * EngineLogStream}) and hands each line on. Closing closes the stream, which ends the blocked read
 * and so the thread. When the engine ends the stream (the service was removed) or it fails, the
 * sink is told it ended.
 */
final class ServiceLogFollow implements LogFollow {

  private static final Logger LOG = Logger.getLogger(ServiceLogFollow.class.getName());

  /** Opens the engine's followed stream: {@code tail} lines kept (-1: all), from {@code since}. */
  interface Source {
    InputStream open(int tail, Instant since) throws IOException;
  }

  private final String function;
  private final Source source;
  private final LogSink sink;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread reader;
  private volatile InputStream current;

  ServiceLogFollow(
      String function,
      int tail,
      Instant since,
      Source source,
      LogSink sink,
      ThreadFactory threads) {
    this.function = function;
    this.source = source;
    this.sink = sink;
    this.reader = threads.newThread(() -> read(tail, since));
    reader.setName("swarm-logs-" + function);
    reader.setDaemon(true);
  }

  ServiceLogFollow start() {
    reader.start();
    return this;
  }

  private void read(int tail, Instant since) {
    String why = "the Docker engine ended the log stream of " + function;
    try (InputStream in = source.open(tail, since)) {
      current = in;
      if (!closed.get()) {
        LogStreamReader r = new LogStreamReader(in);
        for (String raw = r.next(); raw != null && !closed.get(); raw = r.next()) {
          LogLine line = ServiceLogLines.parse(function, raw);
          if (since == null || !line.timestamp().isBefore(since)) {
            sink.line(line);
          }
        }
      }
    } catch (NotFoundException e) {
      why = "function " + function + " was removed";
    } catch (IOException | RuntimeException e) {
      if (!closed.get()) {
        why = "the log stream of " + function + " failed: " + e.getMessage();
        LOG.log(Level.FINE, why, e);
      }
    } finally {
      current = null;
    }
    if (closed.compareAndSet(false, true)) {
      sink.end(why);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    InputStream in = current;
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // closing ends the read either way
      }
    }
    reader.interrupt();
  }

  /** For tests: whether the reading thread has ended. */
  boolean ended() {
    return !reader.isAlive();
  }
}
