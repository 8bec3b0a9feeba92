package dev.jakartafaas.async.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.async.entity.QueuedCall;
import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.invocation.control.Exchange;
import dev.jakartafaas.invocation.control.Invoker;
import dev.jakartafaas.metrics.control.AsyncMetrics;
import dev.jakartafaas.problems.entity.QueueFullException;
import dev.jakartafaas.testing.Poll;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue's bounds and its stop, with an invoker that holds each call until released. */
class AsyncCallsTest {

  private static final long WAIT_SECONDS = 30;

  /** Counts each call and blocks until a permit is released. */
  private static final class HeldInvoker extends Invoker {
    final Semaphore permits = new Semaphore(0);
    final Semaphore entered = new Semaphore(0);
    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final CountDownLatch[] done = {new CountDownLatch(0)};

    @Override
    public void invoke(String name, String path, Exchange call) {
      runs.computeIfAbsent(call.header("X-Call-Id"), k -> new AtomicInteger()).incrementAndGet();
      entered.release();
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      } finally {
        done[0].countDown();
      }
      call.status(200);
    }
  }

  private final HeldInvoker invoker = new HeldInvoker();
  private AsyncCalls calls;

  private AsyncCalls calls(int queueSize, long queueBytes) {
    AsyncCalls c = new AsyncCalls();
    c.invoker = invoker;
    c.backend =
        (Backend)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Backend.class},
                (p, m, a) -> m.getName().equals("readyReplicas") ? Optional.of(List.of()) : null);
    c.metrics = new AsyncMetrics(registry(), c.backend);
    c.threadFactory =
        (ManagedThreadFactory)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ManagedThreadFactory.class},
                (p, m, a) -> Executors.defaultThreadFactory().newThread((Runnable) a[0]));
    c.settings =
        new AsyncSettings(
            queueSize, queueBytes, 1, 1024, Optional.empty(), Duration.ofSeconds(1), 0);
    c.stopWaitMillis = 100;
    c.start();
    calls = c;
    return c;
  }

  @AfterEach
  void stop() {
    invoker.permits.release(1000);
    if (calls != null) {
      calls.stop();
    }
  }

  private static QueuedCall call(String id, int bodyBytes) {
    return new QueuedCall(
        id, "f", "/", null, List.of(), "127.0.0.1", new byte[bodyBytes], Optional.empty());
  }

  @Test
  void holdsQueueSizeCallsBesidesTheRunningOneAndRefusesTheNextUntilThereIsRoom() throws Exception {
    AsyncCalls c = calls(3, 1_000_000);
    invoker.done[0] = new CountDownLatch(5);
    c.accept(call("c0", 1));
    assertTrue(invoker.entered.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "c0 runs");
    c.accept(call("c1", 1));
    c.accept(call("c2", 1));
    c.accept(call("c3", 1));
    QueueFullException e = assertThrows(QueueFullException.class, () -> c.accept(call("c4", 1)));
    assertEquals(503, e.status());
    assertTrue(e.getMessage().contains("faas.async.queue-size"), e.getMessage());
    assertThrows(QueueFullException.class, () -> c.requireRoom(0));

    invoker.permits.release(); // c0 ends, c1 starts: one place free
    assertTrue(invoker.entered.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "c1 runs");
    c.accept(call("c4", 1));
    invoker.permits.release(1000);
    assertTrue(invoker.done[0].await(WAIT_SECONDS, TimeUnit.SECONDS), "all five ran");
    assertEquals(5, invoker.runs.size());
    invoker.runs.forEach((id, n) -> assertEquals(1, n.get(), id + " ran once"));
    assertTrue(invoker.runs.keySet().containsAll(List.of("c0", "c1", "c2", "c3", "c4")));
  }

  @Test
  void holdsAtMostQueueBytesOfBodiesUntilTheirCallsRan() throws Exception {
    AsyncCalls c = calls(100, 100);
    invoker.done[0] = new CountDownLatch(2);
    c.accept(call("big", 60));
    c.accept(call("rest", 40));
    QueueFullException e =
        assertThrows(QueueFullException.class, () -> c.accept(call("one-more", 1)));
    assertTrue(e.getMessage().contains("faas.async.queue-bytes"), e.getMessage());
    assertThrows(QueueFullException.class, () -> c.requireRoom(1));
    invoker.permits.release(1000);
    assertTrue(invoker.done[0].await(WAIT_SECONDS, TimeUnit.SECONDS));
    // the bytes are given back once the calls ran (just after the invoker returned)
    Poll.until(
        Duration.ofSeconds(WAIT_SECONDS),
        "the bytes are released after the calls ran",
        () -> {
          try {
            c.accept(call("after", 100));
            return true;
          } catch (QueueFullException full) {
            return false;
          }
        });
    assertTrue(invoker.entered.tryAcquire(3, WAIT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void stopLogsTheCallIdsOfCallsThatCouldNotRun() throws Exception {
    List<String> logged = new ArrayList<>();
    Handler h =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            synchronized (logged) {
              logged.add(r.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger log = Logger.getLogger(AsyncCalls.class.getName());
    log.addHandler(h);
    try {
      AsyncCalls c = calls(10, 1000);
      c.accept(call("running", 1));
      assertTrue(invoker.entered.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS));
      c.accept(call("queued-1", 1));
      c.accept(call("queued-2", 1));
      c.stop();
      calls = null;
      synchronized (logged) {
        assertTrue(logged.stream().anyMatch(m -> m.contains("queued-1")), logged.toString());
        assertTrue(logged.stream().anyMatch(m -> m.contains("queued-2")), logged.toString());
        assertTrue(logged.stream().noneMatch(m -> m.contains("running") && m.contains("not run")));
      }
      assertEquals(1, invoker.runs.size(), "the queued calls never ran");
    } finally {
      log.removeHandler(h);
    }
  }

  /** A registry whose counters count; every other metric is a no-op. */
  private static MetricRegistry registry() {
    Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    return (MetricRegistry)
        Proxy.newProxyInstance(
            AsyncCallsTest.class.getClassLoader(),
            new Class<?>[] {MetricRegistry.class},
            (p, m, a) -> {
              if (m.getName().equals("counter")) {
                AtomicInteger n =
                    counts.computeIfAbsent(String.valueOf(a[0]), k -> new AtomicInteger());
                return Proxy.newProxyInstance(
                    AsyncCallsTest.class.getClassLoader(),
                    new Class<?>[] {Counter.class},
                    (p2, m2, a2) -> {
                      if (m2.getName().equals("inc")) {
                        n.incrementAndGet();
                      }
                      return m2.getReturnType() == long.class ? (long) n.get() : null;
                    });
              }
              return m.getReturnType() == boolean.class ? false : null;
            });
  }
}
