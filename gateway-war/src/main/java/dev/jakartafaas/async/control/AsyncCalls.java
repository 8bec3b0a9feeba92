package dev.jakartafaas.async.control;

import dev.jakartafaas.async.entity.Attempt;
import dev.jakartafaas.async.entity.CallRecord;
import dev.jakartafaas.async.entity.CallState;
import dev.jakartafaas.async.entity.QueuedCall;
import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.invocation.control.Invoker;
import dev.jakartafaas.metrics.control.AsyncMetrics;
import dev.jakartafaas.problems.entity.CallNotFoundException;
import dev.jakartafaas.problems.entity.CallStateException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.problems.entity.JournalUnavailableException;
import dev.jakartafaas.problems.entity.QueueFullException;
import dev.jakartafaas.security.control.OutboundUrl;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The asynchronous calls: each is journaled ({@link CallBook}) before it is answered 202, run by a
 * fixed pool of {@code faas.async.workers} container-managed threads ({@link CallAttempt}, through
 * the same {@link Invoker} as synchronous calls), retried as {@link RetryRule} says after a {@link
 * Backoff} wait that a scheduler keeps (no worker sleeps), and ends completed or dead; the callback
 * ({@link CallbackDelivery}) gets the final result. On start every call the journal holds without
 * an end runs again.
 */
@ApplicationScoped
public class AsyncCalls {

  public static final String ALLOW_KEY = AsyncSettings.CALLBACK_ALLOW;

  /** Callback headers telling receivers how the call ended and after how many attempts. */
  public static final String ATTEMPTS_HEADER = "X-Call-Attempts";

  public static final String STATE_HEADER = "X-Call-State";

  private static final Logger LOG = Logger.getLogger(AsyncCalls.class.getName());

  @Inject Invoker invoker;

  @Inject Backend backend;

  @Inject AsyncMetrics metrics;

  @Resource ManagedThreadFactory threadFactory;

  @Inject AsyncSettings settings;

  /** How long the application's stop waits for running calls before interrupting them. */
  long stopWaitMillis = 5000;

  private ThreadPoolExecutor pool;
  private ScheduledThreadPoolExecutor timer;
  private CallbackDelivery delivery;
  private CallBook book;

  @PostConstruct
  void start() {
    int workers = Math.max(1, settings.workers());
    // unbounded: the book bounds the calls pending (faas.async.queue-size)
    pool =
        new ThreadPoolExecutor(
            workers, workers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threadFactory);
    timer = new ScheduledThreadPoolExecutor(1, threadFactory);
    timer.setRemoveOnCancelPolicy(true);
    delivery = new CallbackDelivery(settings, timer, pool, metrics, this::finish);
    book = new CallBook(new Journal(settings.dataDir()), System::currentTimeMillis);
    metrics.queue(book::pending, book::heldBytes, book::dead);
    try {
      List<TrackedCall> again = book.open(settings.retention().toMillis());
      long now = System.currentTimeMillis();
      for (TrackedCall t : again) {
        long wait = t.state == CallState.WAITING ? Math.max(0, t.nextAt - now) : 0;
        schedule(t.call.callId(), wait);
      }
      if (!again.isEmpty()) {
        LOG.info(
            again.size() + " asynchronous call(s) from " + book.journal().file() + " run again");
      }
    } catch (IOException e) {
      LOG.severe(
          "the asynchronous journal "
              + book.journal().file()
              + " cannot be used: "
              + e.getMessage()
              + "; /async-function/ answers 503 until it can");
    }
    long purge = Math.max(1000, Math.min(60_000, settings.retention().toMillis() / 10));
    timer.scheduleWithFixedDelay(this::purge, purge, purge, TimeUnit.MILLISECONDS);
  }

  /** Starts the bean with the application, so the journal is replayed before the first call. */
  void eager(@Observes @Initialized(ApplicationScoped.class) Object event) {
    // observing makes the container create the bean now; start() does the work
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
    pool.shutdown();
    try {
      if (!pool.awaitTermination(stopWaitMillis, TimeUnit.MILLISECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
    int left = book.pending();
    if (left > 0) {
      LOG.info(
          left
              + " asynchronous call(s) not ended when the gateway stopped stay in "
              + book.journal().file()
              + " and run at the next start");
    }
    book.journal().close();
  }

  /**
   * Checks a caller's {@code X-Callback-Url} now: a valid http(s) URL whose every address the
   * outbound rule allows.
   *
   * @throws InvalidInputException naming what is wrong
   */
  public OutboundUrl callback(String header) {
    return delivery.check(header);
  }

  /** Throws unless the function is deployed. */
  public void requireDeployed(String function) {
    if (backend.readyReplicas(function).isEmpty()) {
      throw new FunctionNotFoundException("function " + function + " not found");
    }
  }

  /** Throws unless a call with a body of this length could be queued now. */
  public void requireRoom(long bodyLength) {
    if (book.pending() >= settings.queueSize()
        || book.heldBytes() + bodyLength > settings.queueBytes()) {
      throw full();
    }
  }

  /**
   * Journals the call (forced to disk) and queues it. A call id already recorded is not queued
   * again: the caller's retry of the same call is answered as the first time.
   *
   * @throws QueueFullException when {@code faas.async.queue-size} calls are pending or the body
   *     would pass {@code faas.async.queue-bytes}
   * @throws JournalUnavailableException when the journal cannot be written
   */
  public void accept(QueuedCall call) {
    try {
      book.admit(call, settings.queueSize(), settings.queueBytes());
    } catch (CallBook.FullException e) {
      throw full();
    } catch (CallBook.DuplicateException e) {
      return;
    } catch (IOException e) {
      metrics.refused();
      throw new JournalUnavailableException(
          "the asynchronous journal "
              + book.journal().file()
              + " cannot be written ("
              + e.getMessage()
              + "): the call was not queued");
    }
    schedule(call.callId(), 0);
  }

  /** The record of a call. */
  public CallRecord record(String callId) {
    return book.record(callId).orElseThrow(() -> notFound(callId));
  }

  /** The body of a call, while it holds it (not completed). */
  public Optional<byte[]> body(String callId) {
    return book.body(callId);
  }

  /** Records of one function (null: all) in one state (null: any), oldest first. */
  public List<CallRecord> list(String function, CallState state, int limit) {
    return book.list(function, state, limit);
  }

  /**
   * Queues a dead call again (journaled first); its attempts count from zero for {@code
   * faas.async.max-attempts}.
   *
   * @throws CallNotFoundException when there is no such call
   * @throws CallStateException when it is not dead
   */
  public CallRecord requeue(String callId) {
    Optional<TrackedCall> t;
    try {
      t = book.requeue(callId);
    } catch (IllegalStateException e) {
      throw new CallStateException(
          "asynchronous call "
              + callId
              + " is "
              + e.getMessage()
              + ": only a dead call is re-queued");
    } catch (IOException e) {
      throw new JournalUnavailableException(
          "the asynchronous journal "
              + book.journal().file()
              + " cannot be written ("
              + e.getMessage()
              + "): the call stays dead");
    }
    schedule(t.orElseThrow(() -> notFound(callId)).call.callId(), 0);
    return record(callId);
  }

  private static CallNotFoundException notFound(String callId) {
    return new CallNotFoundException(
        "no asynchronous call "
            + callId
            + " is recorded (or its record passed faas.async.retention)");
  }

  private QueueFullException full() {
    metrics.refused();
    return new QueueFullException(
        "the asynchronous queue is full ("
            + settings.queueSize()
            + " calls, faas.async.queue-size, or "
            + settings.queueBytes()
            + " body bytes, faas.async.queue-bytes): try again later");
  }

  /** Runs the call's next attempt on a worker after {@code millis}; the wait holds no worker. */
  private void schedule(String callId, long millis) {
    try {
      if (millis <= 0) {
        pool.execute(() -> attempt(callId));
      } else {
        timer.schedule(() -> schedule(callId, 0), millis, TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      // stopping: the call stays in the journal and runs at the next start
    }
  }

  private void purge() {
    try {
      book.purge(settings.retention().toMillis());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "purging asynchronous call records failed", e);
    }
  }

  private void attempt(String callId) {
    Optional<TrackedCall> started = book.start(callId);
    if (started.isEmpty()) {
      return;
    }
    TrackedCall t = started.get();
    QueuedCall call = t.call;
    metrics.attempted(call.function());
    long startedAt = System.currentTimeMillis();
    long start = System.nanoTime();
    CallAttempt.Result r = run(call);
    double seconds = (System.nanoTime() - start) / 1e9;
    int number;
    int inRound;
    synchronized (book) {
      number = t.attempts + 1;
      inRound = number - t.roundStart;
    }
    RetryRule.Next next =
        r.last()
            ? RetryRule.Next.COMPLETE
            : RetryRule.decide(r.status(), inRound, settings.maxAttempts(), codes(call.function()));
    Attempt attempt =
        new Attempt(number, startedAt, System.currentTimeMillis(), r.status(), r.detail());
    if (next == RetryRule.Next.RETRY) {
      retryLater(t, attempt, inRound);
      return;
    }
    book.attempted(t, attempt, 0);
    CallState state = RetryRule.ending(next);
    if (call.callback().isEmpty()) {
      finish(t, state);
      return;
    }
    delivery.deliver(
        t, state, CallbackDelivery.headers(call, r, seconds, number, state), r.body(), 0);
  }

  private CallAttempt.Result run(QueuedCall call) {
    try {
      return CallAttempt.run(invoker, call, settings.maxAnswerBytes());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "asynchronous call " + call.callId() + " failed", e);
      return CallAttempt.problem(
          502, "function " + call.function() + " failed while answering", false);
    }
  }

  /** Journals the attempt with its retry time and runs the call again after the back-off. */
  private void retryLater(TrackedCall t, Attempt attempt, int inRound) {
    long wait =
        Backoff.after(
                inRound,
                settings.backoffInitial(),
                settings.backoffMax(),
                ThreadLocalRandom.current().nextDouble())
            .toMillis();
    book.attempted(t, attempt, attempt.endedAt() + wait);
    metrics.retried(t.call.function());
    schedule(t.call.callId(), wait);
  }

  /** The statuses retried for a function: its deployment's annotation, or the default. */
  private Set<Integer> codes(String function) {
    try {
      return RetryRule.codes(
          backend
              .find(function)
              .map(FunctionState::deployment)
              .map(d -> d.annotations())
              .orElse(Map.of()));
    } catch (RuntimeException e) {
      return RetryRule.DEFAULT_CODES; // the backend is unavailable: the default rule
    }
  }

  private void finish(TrackedCall t, CallState state) {
    String function = t.call.function();
    book.end(t, state);
    metrics.ended(function, state == CallState.COMPLETED);
  }
}
