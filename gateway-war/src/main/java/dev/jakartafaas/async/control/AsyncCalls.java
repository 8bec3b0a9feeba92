package dev.jakartafaas.async.control;

import dev.jakartafaas.async.control.CallBook.Tracked;
import dev.jakartafaas.async.entity.Attempt;
import dev.jakartafaas.async.entity.CallRecord;
import dev.jakartafaas.async.entity.CallState;
import dev.jakartafaas.async.entity.QueuedCall;
import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.invocation.control.Invoker;
import dev.jakartafaas.metrics.control.AsyncMetrics;
import dev.jakartafaas.problems.boundary.ProblemResponses;
import dev.jakartafaas.problems.entity.CallNotFoundException;
import dev.jakartafaas.problems.entity.CallStateException;
import dev.jakartafaas.problems.entity.FaasException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.problems.entity.JournalUnavailableException;
import dev.jakartafaas.problems.entity.QueueFullException;
import dev.jakartafaas.security.control.OutboundAllowList;
import dev.jakartafaas.security.control.OutboundCheck;
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
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * fixed pool of {@code faas.async.workers} container-managed threads through the same {@link
 * Invoker} as synchronous calls, retried as {@link RetryRule} says after a {@link Backoff} wait
 * that a scheduler keeps (no worker sleeps), and ends completed or dead; the callback gets the
 * final result. On start every call the journal holds without an end runs again.
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
  private OutboundAllowList allow;
  private CallbackSender sender;
  private CallBook book;

  @PostConstruct
  void start() {
    try {
      allow = OutboundAllowList.parse(List.of(settings.callbackAllow().orElse("").split(",")));
    } catch (IllegalArgumentException e) {
      // fail closed: a mistyped entry allows nothing rather than something unintended
      LOG.severe(ALLOW_KEY + " is ignored: " + e.getMessage());
      allow = OutboundAllowList.NONE;
    }
    sender = new CallbackSender(OutboundCheck.SYSTEM, allow, ALLOW_KEY, settings.callbackTimeout());
    int workers = Math.max(1, settings.workers());
    // unbounded: the book bounds the calls pending (faas.async.queue-size)
    pool =
        new ThreadPoolExecutor(
            workers, workers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threadFactory);
    timer = new ScheduledThreadPoolExecutor(1, threadFactory);
    timer.setRemoveOnCancelPolicy(true);
    book = new CallBook(new Journal(settings.dataDir()), System::currentTimeMillis);
    metrics.queue(book::pending, book::heldBytes, book::dead);
    try {
      List<Tracked> again = book.open(settings.retention().toMillis());
      long now = System.currentTimeMillis();
      for (Tracked t : again) {
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
    OutboundUrl url;
    try {
      url = OutboundUrl.parse(header);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("X-Callback-Url refused: " + e.getMessage());
    }
    try {
      OutboundCheck.resolve(url, OutboundCheck.SYSTEM, allow, ALLOW_KEY);
    } catch (OutboundCheck.RefusedException e) {
      throw new InvalidInputException("X-Callback-Url refused: " + e.getMessage());
    }
    return url;
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
    Optional<Tracked> t;
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

  /** One attempt's answer: the function's or the platform's. */
  private record Result(
      int status, byte[] body, String contentType, boolean internal, String detail, boolean last) {}

  private void attempt(String callId) {
    Optional<Tracked> started = book.start(callId);
    if (started.isEmpty()) {
      return;
    }
    Tracked t = started.get();
    QueuedCall call = t.call;
    metrics.attempted(call.function());
    long startedAt = System.currentTimeMillis();
    long start = System.nanoTime();
    Result r;
    try {
      r = invoke(call);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "asynchronous call " + callId + " failed", e);
      r = problem(502, "function " + call.function() + " failed while answering", false);
    }
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
      long wait =
          Backoff.after(
                  inRound,
                  settings.backoffInitial(),
                  settings.backoffMax(),
                  ThreadLocalRandom.current().nextDouble())
              .toMillis();
      book.attempted(t, attempt, attempt.endedAt() + wait);
      metrics.retried(call.function());
      schedule(callId, wait);
      return;
    }
    book.attempted(t, attempt, 0);
    CallState state = RetryRule.ending(next);
    if (call.callback().isEmpty()) {
      finish(t, state);
      return;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", r.contentType());
    headers.put("X-Call-Id", call.callId());
    headers.put("X-Function-Name", call.function());
    headers.put("X-Function-Status", Integer.toString(r.status()));
    headers.put("X-Duration-Seconds", String.format(Locale.ROOT, "%.6f", seconds));
    headers.put(ATTEMPTS_HEADER, Integer.toString(number));
    headers.put(STATE_HEADER, state.label());
    if (r.internal()) {
      headers.put(ProblemResponses.INTERNAL_HEADER, "true");
    }
    deliver(t, state, headers, r.body(), 0);
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

  private Result invoke(QueuedCall call) {
    QueuedExchange exchange = new QueuedExchange(call, settings.maxAnswerBytes());
    try {
      invoker.invoke(call.function(), call.path(), exchange);
      return new Result(
          exchange.answeredStatus(),
          exchange.answeredBody(),
          exchange.answeredContentType(),
          false,
          "",
          false);
    } catch (FaasException e) {
      return problem(e.status(), e.getMessage(), false);
    } catch (IOException e) {
      if (e.getCause() instanceof QueuedExchange.AnswerTooLargeException tooLarge) {
        return problem(502, tooLarge.getMessage(), true); // the same answer again: not retried
      }
      return problem(502, "function " + call.function() + " failed while answering", false);
    }
  }

  private static Result problem(int status, String message, boolean last) {
    return new Result(
        status,
        ProblemResponses.body(message).getBytes(StandardCharsets.UTF_8),
        ProblemResponses.CONTENT_TYPE,
        true,
        message == null ? "" : message,
        last);
  }

  /** One delivery attempt; a failed one is tried again later, scheduled like a call's retry. */
  private void deliver(
      Tracked t, CallState state, Map<String, String> headers, byte[] body, int tries) {
    QueuedCall call = t.call;
    OutboundUrl url = call.callback().orElseThrow();
    CallbackSender.Attempt attempt = sender.send(url, headers, body);
    if (attempt.outcome() == CallbackSender.Outcome.FAILED
        && tries < Math.max(0, settings.callbackRetries())) {
      long wait = 200L << Math.min(tries, 5); // 200 ms, 400 ms, ...
      try {
        timer.schedule(
            () -> pool.execute(() -> deliver(t, state, headers, body, tries + 1)),
            wait,
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // stopping: the call has no end in the journal, so it runs again at the next start
      }
      return;
    }
    if (attempt.outcome() != CallbackSender.Outcome.DELIVERED) {
      metrics.callbackFailed(call.function());
      // the origin only: a URL's path or query may carry a token; the body is never logged
      LOG.warning(
          "asynchronous call "
              + call.callId()
              + " to "
              + call.function()
              + ": callback to "
              + url.scheme()
              + "://"
              + url.authority()
              + " not delivered: "
              + attempt.outcome()
              + ", "
              + attempt.detail());
    }
    finish(t, state);
  }

  private void finish(Tracked t, CallState state) {
    String function = t.call.function();
    book.end(t, state);
    metrics.ended(function, state == CallState.COMPLETED);
  }
}
