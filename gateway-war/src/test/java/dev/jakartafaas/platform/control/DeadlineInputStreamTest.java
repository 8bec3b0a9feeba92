package dev.jakartafaas.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.problems.entity.ReadTimeoutException;
import dev.jakartafaas.testing.Poll;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DeadlineInputStreamTest {

  /** A body whose bytes arrive when the test offers them; a read blocks until then. */
  private static final class TrickleBody extends ServletInputStream {
    final BlockingQueue<Integer> bytes = new LinkedBlockingQueue<>();
    volatile boolean blocked;

    @Override
    public int read() throws InterruptedIOException {
      try {
        blocked = true;
        return bytes.take();
      } catch (InterruptedException e) {
        throw new InterruptedIOException("interrupted");
      } finally {
        blocked = false;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws InterruptedIOException {
      int c = read();
      if (c < 0) {
        return -1;
      }
      b[off] = (byte) c;
      return 1;
    }

    @Override
    public boolean isFinished() {
      return false;
    }

    @Override
    public boolean isReady() {
      return !bytes.isEmpty();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      throw new UnsupportedOperationException();
    }
  }

  private static ReadDeadlines deadlines(Duration timeout) {
    ReadDeadlines d = new ReadDeadlines();
    d.settings = new PlatformSettings(timeout);
    return d;
  }

  private static void awaitPast(long nanos) throws Exception {
    Poll.until(Duration.ofSeconds(10), "the deadline passed", () -> System.nanoTime() - nanos > 0);
  }

  @Test
  void bytesThatArriveInTimePassThroughAndTheGuardEndsWithTheRequest() throws Exception {
    ReadDeadlines d = deadlines(Duration.ofMinutes(1));
    TrickleBody body = new TrickleBody();
    DeadlineInputStream in = d.guard(body);
    assertEquals(1, d.guarded());
    body.bytes.add((int) 'a');
    body.bytes.add((int) 'b');
    assertEquals('a', in.read());
    byte[] b = new byte[4];
    assertEquals(1, in.read(b, 0, 4));
    assertEquals('b', b[0]);
    d.sweep();
    assertFalse(in.overdue());
    in.close();
    assertEquals(0, d.guarded());
  }

  @Test
  void aReadBlockedPastTheDeadlineEndsWithReadTimeoutAndLeavesNoInterruptBehind() throws Exception {
    ReadDeadlines d = deadlines(Duration.ofMillis(100));
    TrickleBody body = new TrickleBody();
    long start = System.nanoTime();
    DeadlineInputStream in = d.guard(body);
    AtomicBoolean interruptLeft = new AtomicBoolean(true);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                in.read();
                outcome.complete(null);
              } catch (Throwable t) {
                interruptLeft.set(Thread.currentThread().isInterrupted());
                outcome.complete(t);
              }
            });
    reader.start();
    awaitPast(start + Duration.ofMillis(100).toNanos());
    Poll.until(Duration.ofSeconds(10), "the reader is blocked in the body", () -> body.blocked);
    d.sweep();
    Throwable t = outcome.get(10, TimeUnit.SECONDS);
    assertInstanceOf(ReadTimeoutException.class, t);
    assertTrue(t.getMessage().contains("100 ms (faas.gateway.read-timeout)"), t.getMessage());
    assertFalse(interruptLeft.get(), "the interrupt was cleared before the read returned");
    assertTrue(in.overdue());
    body.bytes.add((int) 'x');
    assertThrows(ReadTimeoutException.class, in::read, "bytes that come later are not read");
    reader.join(10_000);
  }

  @Test
  void aDeadlinePassedBetweenReadsInterruptsNothingAndFailsTheNextRead() throws Exception {
    ReadDeadlines d = deadlines(Duration.ofMillis(50));
    TrickleBody body = new TrickleBody();
    long start = System.nanoTime();
    DeadlineInputStream in = d.guard(body);
    awaitPast(start + Duration.ofMillis(50).toNanos());
    d.sweep();
    assertFalse(Thread.currentThread().isInterrupted(), "no thread was reading: none interrupted");
    assertTrue(in.overdue());
    body.bytes.add((int) 'a');
    assertThrows(ReadTimeoutException.class, in::read);
    assertFalse(Thread.interrupted());
  }

  @Test
  void aZeroTimeoutMeansNoDeadline() throws Exception {
    ReadDeadlines d = deadlines(Duration.ZERO);
    TrickleBody body = new TrickleBody();
    DeadlineInputStream in = d.guard(body);
    assertEquals(0, d.guarded(), "nothing to watch");
    body.bytes.add((int) 'a');
    assertEquals('a', in.read());
    assertFalse(in.overdue());
  }
}
