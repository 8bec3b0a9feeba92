package dev.jakartafaas.platform.control;

import dev.jakartafaas.problems.entity.ReadTimeoutException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.time.Duration;

/**
 * A request body that must arrive before a deadline. A read that would block past it is interrupted
 * by {@link ReadDeadlines}' sweeper and ends with {@link ReadTimeoutException}; every later read
 * fails the same way. The interrupt is only ever delivered while a read is blocked in here, and
 * cleared before the read returns, so it never reaches other code on the thread.
 */
public final class DeadlineInputStream extends ServletInputStream {

  private final ServletInputStream in;
  private final long deadline;
  private final Duration timeout;
  private final ReadDeadlines owner;

  private Thread blocked;
  private boolean interrupted;
  private boolean overdue;

  DeadlineInputStream(ServletInputStream in, long deadline, Duration timeout, ReadDeadlines owner) {
    this.in = in;
    this.deadline = deadline;
    this.timeout = timeout;
    this.owner = owner;
  }

  /** Whether the body missed its deadline. */
  public synchronized boolean overdue() {
    return overdue;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    enter();
    try {
      return in.read(b, off, len);
    } catch (IOException e) {
      if (overdue()) {
        throw timedOut();
      }
      throw e;
    } finally {
      leave();
    }
  }

  @Override
  public int readLine(byte[] b, int off, int len) throws IOException {
    enter();
    try {
      return in.readLine(b, off, len);
    } catch (IOException e) {
      if (overdue()) {
        throw timedOut();
      }
      throw e;
    } finally {
      leave();
    }
  }

  @Override
  public int available() throws IOException {
    return in.available();
  }

  @Override
  public boolean isFinished() {
    return in.isFinished();
  }

  @Override
  public boolean isReady() {
    return in.isReady();
  }

  @Override
  public void setReadListener(ReadListener listener) {
    // non-blocking reads hold no thread while they wait; they are not guarded
    owner.done(this);
    in.setReadListener(listener);
  }

  /** Ends the guard; the underlying stream stays open for the container to finish. */
  @Override
  public void close() {
    owner.done(this);
  }

  private synchronized void enter() throws ReadTimeoutException {
    if (overdue || System.nanoTime() - deadline > 0) {
      overdue = true;
      throw timedOut();
    }
    blocked = Thread.currentThread();
  }

  private void leave() {
    synchronized (this) {
      blocked = null;
      if (interrupted) {
        interrupted = false;
        // the interrupt was ours and is spent: the thread goes on to answer the caller
        Thread.interrupted();
      }
    }
  }

  synchronized void interruptIfOverdue(long now) {
    if (now - deadline > 0) {
      overdue = true;
      if (blocked != null && !interrupted) {
        interrupted = true;
        blocked.interrupt();
      }
    }
  }

  private ReadTimeoutException timedOut() {
    return new ReadTimeoutException(
        "the request body did not arrive within "
            + timeout.toMillis()
            + " ms (faas.gateway.read-timeout)");
  }
}
