package dev.jakartafaas.swarm;

import dev.jakartafaas.testing.Poll;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A constant, bounded load on one function through the gateway: a few threads each sending one
 * request after another (at most ten thousand each, for at most five minutes) and checking that the
 * body comes back. It also notes when each slow call began (1.9 s or more: the gateway's connect
 * timeout, 2 s, is what a call waits out when it meets a replica that no longer answers), so that a
 * test can tell until when that happened.
 */
final class Load implements AutoCloseable {

  private static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1900);

  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final Map<String, Integer> failureKinds = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Long> disturbedStarts = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> slowStarts = new ConcurrentLinkedQueue<>();
  private final AtomicInteger running = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();

  Load(StackGateway gateway, String function, int concurrency) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    for (int t = 0; t < concurrency; t++) {
      int id = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 10_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                    String body = "load " + id + " " + i;
                    String kind;
                    long start = System.nanoTime();
                    try {
                      HttpResponse<String> r = gateway.call(function, body);
                      kind =
                          r.statusCode() == 200 && r.body().equals(body)
                              ? null
                              : r.statusCode() + " " + r.body().strip();
                    } catch (Exception e) {
                      kind = e.getClass().getSimpleName() + " " + e.getMessage();
                    }
                    boolean slow = System.nanoTime() - start >= SLOW_NANOS;
                    if (slow) {
                      slowStarts.add(start);
                    }
                    if (kind != null || slow) {
                      disturbedStarts.add(start);
                    }
                    calls.incrementAndGet();
                    if (kind != null) {
                      failures.incrementAndGet();
                      failureKinds.merge(kind, 1, Integer::sum);
                    }
                  }
                } finally {
                  running.decrementAndGet();
                }
              },
              "load-" + function + "-" + t);
      thread.setDaemon(true);
      running.incrementAndGet();
      threads.add(thread);
      thread.start();
    }
  }

  int calls() {
    return calls.get();
  }

  int failures() {
    return failures.get();
  }

  /** When ({@link System#nanoTime()}) the last disturbed call began, if any. */
  OptionalLong lastDisturbedStart() {
    return disturbedStarts.stream().mapToLong(Long::longValue).max();
  }

  /** How many slow calls began at or after {@code since} (a {@link System#nanoTime()}). */
  int slowCallsSince(long since) {
    return (int) slowStarts.stream().filter(t -> t - since >= 0).count();
  }

  String report() {
    return calls + " calls, " + failures + " failed: " + failureKinds;
  }

  /** Waits until {@code n} calls were made; fails at once when the load ended before. */
  void awaitCalls(int n) throws InterruptedException {
    Poll.untilTrue(
        Duration.ofMinutes(2),
        n + " calls",
        () -> calls.get() >= n || stop.get() || running.get() == 0);
    if (calls.get() < n && !stop.get()) {
      throw new AssertionError(
          "the load ended (its bound of calls or time) before " + n + " calls: " + report());
    }
  }

  void stop() throws InterruptedException {
    if (!stop.get()) {
      System.out.println("load on " + threads.get(0).getName() + ": " + report());
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
