package dev.jakartafaas.async.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.async.entity.Attempt;
import dev.jakartafaas.async.entity.CallRecord;
import dev.jakartafaas.async.entity.CallState;
import dev.jakartafaas.async.entity.QueuedCall;
import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.invocation.control.Exchange;
import dev.jakartafaas.invocation.control.Invoker;
import dev.jakartafaas.metrics.control.AsyncMetrics;
import dev.jakartafaas.problems.entity.CallStateException;
import dev.jakartafaas.problems.entity.JournalUnavailableException;
import dev.jakartafaas.problems.entity.QueueFullException;
import dev.jakartafaas.problems.entity.UpstreamFailedException;
import dev.jakartafaas.testing.Poll;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journaled queue with a scripted invoker: bounds, replay after a crash, retries with back-off,
 * dead letters and their re-queue, and an unwritable journal.
 */
class AsyncCallsTest {

  private static final long WAIT_SECONDS = 30;
  private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);

  @TempDir Path dataDir;

  /** Answers each call with the status its script gives for the n-th run of that call id. */
  private static final class ScriptedInvoker extends Invoker {
    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final Semaphore entered = new Semaphore(0);
    volatile Semaphore permits; // null: never held
    volatile IntUnaryOperator status = n -> 200;

    @Override
    public void invoke(String name, String path, Exchange call) {
      int n =
          runs.computeIfAbsent(call.header("X-Call-Id"), k -> new AtomicInteger())
              .incrementAndGet();
      entered.release();
      Semaphore p = permits;
      if (p != null) {
        try {
          p.acquire();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted");
        }
      }
      int s = status.applyAsInt(n);
      if (s < 0) {
        throw new UpstreamFailedException("function " + name + " is unreachable: refused");
      }
      call.status(s);
    }

    int runsOf(String id) {
      AtomicInteger n = runs.get(id);
      return n == null ? 0 : n.get();
    }
  }

  private final List<AsyncCalls> started = new ArrayList<>();
  private final List<ScriptedInvoker> invokers = new ArrayList<>();
  private Map<String, String> annotations = Map.of();

  private AsyncCalls calls(
      ScriptedInvoker invoker, int queueSize, long queueBytes, int maxAttempts) {
    AsyncCalls c = new AsyncCalls();
    c.invoker = invoker;
    c.backend =
        (Backend)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Backend.class},
                (p, m, a) ->
                    switch (m.getName()) {
                      case "readyReplicas" -> Optional.of(List.of());
                      case "find" -> Optional.of(state(annotations));
                      default -> null;
                    });
    c.metrics = new AsyncMetrics(registry(), c.backend);
    c.threadFactory =
        (ManagedThreadFactory)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ManagedThreadFactory.class},
                (p, m, a) -> {
                  Thread t = Executors.defaultThreadFactory().newThread((Runnable) a[0]);
                  t.setDaemon(true);
                  return t;
                });
    c.settings =
        new AsyncSettings(
            dataDir,
            queueSize,
            queueBytes,
            1,
            1024,
            Optional.empty(),
            Duration.ofSeconds(1),
            0,
            maxAttempts,
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            Duration.ofHours(1));
    c.stopWaitMillis = 100;
    c.start();
    started.add(c);
    invokers.add(invoker);
    return c;
  }

  private static FunctionState state(Map<String, String> annotations) {
    FunctionDeployment d =
        new FunctionDeployment(
            "f",
            "",
            "cat",
            Map.of(),
            Map.of(),
            annotations,
            List.of(),
            List.of(),
            null,
            null,
            false);
    return new FunctionState(d, 1, 1, java.time.Instant.now());
  }

  @AfterEach
  void stopAll() {
    for (ScriptedInvoker i : invokers) {
      Semaphore p = i.permits;
      if (p != null) {
        p.release(10_000);
      }
    }
    for (AsyncCalls c : started) {
      c.stop();
    }
  }

  private static QueuedCall call(String id, int bodyBytes) {
    return new QueuedCall(
        id, "f", "/", null, List.of(), "127.0.0.1", new byte[bodyBytes], Optional.empty());
  }

  private static CallRecord ended(AsyncCalls c, String id) throws Exception {
    Poll.untilTrue(WAIT, id + " ends", () -> c.record(id).state().ended());
    return c.record(id);
  }

  @Test
  void holdsQueueSizePendingCallsAndRefusesTheNextUntilOneEnded() throws Exception {
    ScriptedInvoker inv = new ScriptedInvoker();
    inv.permits = new Semaphore(0);
    AsyncCalls c = calls(inv, 3, 1_000_000, 1);
    c.accept(call("c0", 1));
    assertTrue(inv.entered.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "c0 runs");
    c.accept(call("c1", 1));
    c.accept(call("c2", 1));
    QueueFullException e = assertThrows(QueueFullException.class, () -> c.accept(call("c3", 1)));
    assertEquals(503, e.status());
    assertTrue(e.getMessage().contains("faas.async.queue-size"), e.getMessage());
    assertThrows(QueueFullException.class, () -> c.requireRoom(0));
    assertEquals(CallState.RUNNING, c.record("c0").state());
    assertEquals(CallState.QUEUED, c.record("c1").state());

    inv.permits.release(); // c0 ends: one place free
    ended(c, "c0");
    c.accept(call("c3", 1));
    inv.permits.release(1000);
    for (String id : List.of("c0", "c1", "c2", "c3")) {
      assertEquals(CallState.COMPLETED, ended(c, id).state());
      assertEquals(1, inv.runsOf(id), id + " ran once");
    }
  }

  @Test
  void holdsAtMostQueueBytesOfBodiesUntilTheirCallsCompleted() throws Exception {
    ScriptedInvoker inv = new ScriptedInvoker();
    inv.permits = new Semaphore(0);
    AsyncCalls c = calls(inv, 100, 100, 1);
    c.accept(call("big", 60));
    c.accept(call("rest", 40));
    QueueFullException e =
        assertThrows(QueueFullException.class, () -> c.accept(call("one-more", 1)));
    assertTrue(e.getMessage().contains("faas.async.queue-bytes"), e.getMessage());
    inv.permits.release(1000);
    ended(c, "big");
    ended(c, "rest");
    c.accept(call("after", 100));
    assertEquals(CallState.COMPLETED, ended(c, "after").state());
  }

  @Test
  void callsAcceptedBeforeACrashRunAfterTheRestartAndEndedOnesDoNot() throws Exception {
    ScriptedInvoker first = new ScriptedInvoker();
    first.permits = new Semaphore(0);
    AsyncCalls before = calls(first, 100, 1_000_000, 1);
    before.accept(call("done-before", 3));
    first.permits.release();
    ended(before, "done-before");
    before.accept(call("running", 3));
    assertTrue(first.entered.tryAcquire(2, WAIT_SECONDS, TimeUnit.SECONDS));
    before.accept(call("queued-1", 3));
    before.accept(call("queued-2", 3));
    // no stop: the first gateway is gone as after kill -9; a second one opens the same journal
    ScriptedInvoker second = new ScriptedInvoker();
    AsyncCalls after = calls(second, 100, 1_000_000, 1);
    for (String id : List.of("running", "queued-1", "queued-2")) {
      assertEquals(CallState.COMPLETED, ended(after, id).state(), id);
      assertEquals(1, second.runsOf(id), id + " ran once after the restart");
    }
    assertEquals(0, second.runsOf("done-before"), "a completed call does not run again");
    assertEquals(CallState.COMPLETED, after.record("done-before").state());
  }

  @Test
  void aCallThatGets503TwiceCompletesOnItsThirdAttemptWithTheBackoffInItsRecord() throws Exception {
    ScriptedInvoker inv = new ScriptedInvoker();
    inv.status = n -> n <= 2 ? 503 : 200;
    AsyncCalls c = calls(inv, 100, 1_000_000, 5);
    c.accept(call("flaky", 1));
    CallRecord r = ended(c, "flaky");
    assertEquals(CallState.COMPLETED, r.state());
    assertEquals(3, r.attempts());
    assertEquals(200, r.lastStatus());
    List<Attempt> h = r.history();
    assertEquals(List.of(503, 503, 200), h.stream().map(Attempt::status).toList());
    // waits of about 20 ms then 40 ms, each jittered down by at most half
    assertTrue(h.get(1).startedAt() - h.get(0).endedAt() >= 10, h.toString());
    assertTrue(h.get(2).startedAt() - h.get(1).endedAt() >= 20, h.toString());
  }

  @Test
  void aCallThatAlwaysFailsIsDeadAfterMaxAttemptsListedAndCompletesWhenRequeuedOnceFixed()
      throws Exception {
    ScriptedInvoker inv = new ScriptedInvoker();
    inv.status = n -> -1; // unreachable: the platform's 502
    AsyncCalls c = calls(inv, 100, 1_000_000, 3);
    c.accept(call("doomed", 1));
    CallRecord r = ended(c, "doomed");
    assertEquals(CallState.DEAD, r.state());
    assertEquals(3, r.attempts());
    assertEquals(502, r.lastStatus());
    assertTrue(r.history().get(2).detail().contains("unreachable"), r.history().toString());
    assertEquals(
        List.of("doomed"),
        c.list("f", CallState.DEAD, 10).stream().map(CallRecord::callId).toList());
    assertTrue(c.body("doomed").isPresent(), "a dead call keeps its body for a re-queue");

    inv.status = n -> 200;
    c.requeue("doomed");
    r = ended(c, "doomed");
    assertEquals(CallState.COMPLETED, r.state());
    assertEquals(4, r.attempts());
    assertTrue(c.list(null, CallState.DEAD, 10).isEmpty());
    assertThrows(CallStateException.class, () -> c.requeue("doomed"));
  }

  @Test
  void aDeadCallStaysDeadAcrossARestartAndCanBeRequeuedThen() throws Exception {
    ScriptedInvoker inv = new ScriptedInvoker();
    inv.status = n -> 503;
    AsyncCalls c = calls(inv, 100, 1_000_000, 2);
    c.accept(call("dead-1", 5));
    assertEquals(CallState.DEAD, ended(c, "dead-1").state());
    c.stop();
    started.remove(c);
    ScriptedInvoker fixed = new ScriptedInvoker();
    AsyncCalls again = calls(fixed, 100, 1_000_000, 2);
    assertEquals(CallState.DEAD, again.record("dead-1").state());
    assertEquals(0, fixed.runsOf("dead-1"));
    again.requeue("dead-1");
    assertEquals(CallState.COMPLETED, ended(again, "dead-1").state());
    assertEquals(1, fixed.runsOf("dead-1"));
  }

  @Test
  void aFunctionsOwn500IsFinalUnlessItsDeploymentAsksForRetries() throws Exception {
    ScriptedInvoker inv = new ScriptedInvoker();
    inv.status = n -> n == 1 ? 500 : 200;
    AsyncCalls c = calls(inv, 100, 1_000_000, 3);
    c.accept(call("error", 1));
    CallRecord r = ended(c, "error");
    assertEquals(CallState.COMPLETED, r.state());
    assertEquals(1, r.attempts());
    assertEquals(500, r.lastStatus());

    annotations = Map.of(RetryRule.CODES_ANNOTATION, "500,503");
    c.accept(call("error-retried", 1));
    r = ended(c, "error-retried");
    assertEquals(2, r.attempts());
    assertEquals(200, r.lastStatus());
  }

  @Test
  void anUnwritableJournalRefusesWith503NamingItAndNothingIsQueued() throws Exception {
    Files.writeString(dataDir.resolve("async"), "a file where the journal's directory should be");
    ScriptedInvoker inv = new ScriptedInvoker();
    AsyncCalls c = calls(inv, 100, 1_000_000, 1);
    JournalUnavailableException e =
        assertThrows(JournalUnavailableException.class, () -> c.accept(call("refused", 1)));
    assertEquals(503, e.status());
    assertTrue(e.getMessage().contains(dataDir.resolve("async").toString()), e.getMessage());
    assertThrows(
        dev.jakartafaas.problems.entity.CallNotFoundException.class, () -> c.record("refused"));
    assertEquals(0, inv.runsOf("refused"));

    Files.delete(dataDir.resolve("async")); // the disk is fixed: the next call is journaled
    c.accept(call("accepted", 1));
    assertEquals(CallState.COMPLETED, ended(c, "accepted").state());
    assertTrue(Files.size(dataDir.resolve("async").resolve(Journal.FILE)) > 0);
  }

  @Test
  void aJournalOfAnotherVersionIsNeitherReadNorOverwritten() throws Exception {
    Path file = dataDir.resolve("async").resolve(Journal.FILE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"journal\":\"jakarta-faas-async\",\"version\":99}\n");
    AsyncCalls c = calls(new ScriptedInvoker(), 100, 1_000_000, 1);
    JournalUnavailableException e =
        assertThrows(JournalUnavailableException.class, () -> c.accept(call("x", 1)));
    assertTrue(e.getMessage().contains("version"), e.getMessage());
    assertEquals("{\"journal\":\"jakarta-faas-async\",\"version\":99}\n", Files.readString(file));
  }

  @Test
  void theSameCallIdAcceptedTwiceRunsOnce() throws Exception {
    ScriptedInvoker inv = new ScriptedInvoker();
    AsyncCalls c = calls(inv, 100, 1_000_000, 1);
    c.accept(call("same", 1));
    c.accept(call("same", 1));
    ended(c, "same");
    Thread.sleep(100); // a second run, if any were queued, would have started by now
    assertEquals(1, inv.runsOf("same"));
    assertFalse(c.list(null, null, 10).size() > 1);
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
