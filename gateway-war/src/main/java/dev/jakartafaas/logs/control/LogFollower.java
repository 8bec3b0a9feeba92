package dev.jakartafaas.logs.control;

import dev.jakartafaas.backend.entity.LogFollow;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.LogSink;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One client following a function's log. The lines the backend hands it wait in a queue bounded in
 * bytes and are written with the servlet's non-blocking output on the shared pump thread, so a
 * follower holds no thread while it waits and a slow client holds up nobody else. Whatever ends it
 * (the client gone, the function removed, the queue overflowing, the gateway stopping) releases the
 * backend's follow and the request once.
 */
final class LogFollower implements LogSink, WriteListener, AsyncListener {

  private static final byte[] HEARTBEAT = {'\n'};

  private final String function;
  private final long maxBytes;
  private final Executor pump;
  private final Consumer<LogFollower> released;
  private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean ended;
  private volatile long lastQueued = System.nanoTime();

  // set once by attach; used under this object's lock
  private AsyncContext context;
  private ServletOutputStream out;
  private volatile LogFollow follow;
  private boolean unflushed = true;

  LogFollower(String function, long maxBytes, Executor pump, Consumer<LogFollower> released) {
    this.function = function;
    this.maxBytes = maxBytes;
    this.pump = pump;
    this.released = released;
  }

  /** Starts writing to the suspended request; {@code follow} is the backend's, closed with this. */
  void attach(AsyncContext context, LogFollow follow) throws IOException {
    this.follow = follow;
    synchronized (this) {
      this.context = context;
      this.out = context.getResponse().getOutputStream();
    }
    if (closed.get()) {
      follow.close();
      return;
    }
    context.addListener(this);
    out.setWriteListener(this); // the container calls onWritePossible: the head goes out then
  }

  @Override
  public void line(LogLine line) {
    if (ended) {
      return;
    }
    byte[] bytes = (LogQuery.json(line) + "\n").getBytes(StandardCharsets.UTF_8);
    if (queuedBytes.addAndGet(bytes.length) > maxBytes) {
      queuedBytes.addAndGet(-bytes.length);
      ended = true;
      enqueue(
          (LogQuery.json(
                      new LogLine(
                          function,
                          "gateway",
                          Instant.now(),
                          "faas: this client read too slowly (more than "
                              + maxBytes
                              + " bytes waited for it); its stream ends here"))
                  + "\n")
              .getBytes(StandardCharsets.UTF_8));
      return;
    }
    enqueue(bytes);
  }

  @Override
  public void end(String why) {
    ended = true;
    schedule();
  }

  /** An empty line when nothing was queued for {@code intervalNanos}: a gone client fails it. */
  void heartbeat(long now, long intervalNanos) {
    if (!ended && now - lastQueued >= intervalNanos) {
      enqueue(HEARTBEAT);
    }
  }

  private void enqueue(byte[] bytes) {
    lastQueued = System.nanoTime();
    queue.add(bytes);
    schedule();
  }

  private void schedule() {
    if (closed.get() || !drainScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      pump.execute(
          () -> {
            drainScheduled.set(false);
            drain();
          });
    } catch (RejectedExecutionException e) {
      drainScheduled.set(false); // the gateway is stopping: stop() releases everyone
    }
  }

  /**
   * Writes what waits while the output takes it; the container calls back when it can take more.
   */
  private synchronized void drain() {
    if (closed.get() || out == null) {
      return;
    }
    try {
      while (out.isReady()) {
        byte[] next = queue.poll();
        if (next == null) {
          if (unflushed) {
            unflushed = false;
            out.flush();
            continue;
          }
          if (ended) {
            release();
          }
          return;
        }
        queuedBytes.addAndGet(-next.length);
        out.write(next);
        unflushed = true;
      }
    } catch (IOException | RuntimeException e) {
      release(); // the client went away
    }
  }

  /** Ends the stream now, whatever waits: the client went away or the gateway is stopping. */
  void release() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ended = true;
    queue.clear();
    LogFollow f = follow;
    if (f != null) {
      f.close();
    }
    released.accept(this);
    AsyncContext c;
    synchronized (this) {
      c = context;
    }
    if (c != null) {
      try {
        c.complete();
      } catch (RuntimeException e) {
        // completed already: the container ended the request
      }
    }
  }

  boolean isReleased() {
    return closed.get();
  }

  @Override
  public void onWritePossible() {
    drain();
  }

  @Override
  public void onError(Throwable t) {
    release();
  }

  @Override
  public void onComplete(AsyncEvent event) {
    release();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    release();
  }

  @Override
  public void onError(AsyncEvent event) {
    release();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // not restarted
  }
}
