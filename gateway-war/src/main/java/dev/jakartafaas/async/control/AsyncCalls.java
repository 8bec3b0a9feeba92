package dev.jakartafaas.async.control;

import dev.jakartafaas.async.entity.QueuedCall;
import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.invocation.control.Invoker;
import dev.jakartafaas.metrics.control.AsyncMetrics;
import dev.jakartafaas.problems.boundary.ProblemResponses;
import dev.jakartafaas.problems.entity.FaasException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.problems.entity.QueueFullException;
import dev.jakartafaas.security.control.OutboundAllowList;
import dev.jakartafaas.security.control.OutboundCheck;
import dev.jakartafaas.security.control.OutboundUrl;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The queue of asynchronous calls: bounded in calls ({@code faas.async.queue-size}) and in stored
 * body bytes ({@code faas.async.queue-bytes}), run by a fixed pool of {@code faas.async.workers}
 * container-managed threads, each call once, through the same {@link Invoker} as synchronous calls.
 * A full queue refuses (503), it never drops; calls still queued when the application stops are
 * logged with their call ids.
 */
@ApplicationScoped
public class AsyncCalls {

  public static final String ALLOW_KEY = AsyncSettings.CALLBACK_ALLOW;

  private static final Logger LOG = Logger.getLogger(AsyncCalls.class.getName());

  @Inject Invoker invoker;

  @Inject Backend backend;

  @Inject AsyncMetrics metrics;

  @Resource ManagedThreadFactory threadFactory;

  @Inject AsyncSettings settings;

  /** How long the application's stop waits for running calls before interrupting them. */
  long stopWaitMillis = 5000;

  private ThreadPoolExecutor pool;
  private OutboundAllowList allow;
  private CallbackSender sender;
  private final AtomicLong bytesHeld = new AtomicLong();
  private final Object budget = new Object();

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
    pool =
        new ThreadPoolExecutor(
            Math.max(1, settings.workers()),
            Math.max(1, settings.workers()),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(Math.max(1, settings.queueSize())),
            threadFactory);
    metrics.queue(pool.getQueue()::size, bytesHeld::get);
  }

  @PreDestroy
  void stop() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(stopWaitMillis, TimeUnit.MILLISECONDS)) {
        for (Runnable r : pool.shutdownNow()) {
          if (r instanceof Task t) {
            LOG.warning(
                "asynchronous call "
                    + t.call.callId()
                    + " to "
                    + t.call.function()
                    + " was not run: the gateway stopped while it was queued");
          }
        }
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
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
    if (pool.getQueue().remainingCapacity() == 0
        || bytesHeld.get() + bodyLength > settings.queueBytes()) {
      throw full();
    }
  }

  /**
   * Queues the call.
   *
   * @throws QueueFullException when the queue holds {@code faas.async.queue-size} calls or the body
   *     would pass {@code faas.async.queue-bytes}
   */
  public void accept(QueuedCall call) {
    long size = call.body().length;
    synchronized (budget) {
      if (bytesHeld.get() + size > settings.queueBytes()) {
        throw full();
      }
      bytesHeld.addAndGet(size);
    }
    try {
      pool.execute(new Task(call));
    } catch (RejectedExecutionException e) {
      bytesHeld.addAndGet(-size);
      throw full();
    }
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

  private void run(QueuedCall call) {
    long start = System.nanoTime();
    QueuedExchange exchange = new QueuedExchange(call, settings.maxAnswerBytes());
    int status;
    byte[] body;
    String contentType;
    boolean answered = false;
    boolean internal = false;
    try {
      invoker.invoke(call.function(), call.path(), exchange);
      status = exchange.answeredStatus();
      body = exchange.answeredBody();
      contentType = exchange.answeredContentType();
      answered = true;
    } catch (FaasException e) {
      status = e.status();
      body = ProblemResponses.body(e.getMessage()).getBytes(StandardCharsets.UTF_8);
      contentType = ProblemResponses.CONTENT_TYPE;
      internal = true;
    } catch (IOException | RuntimeException e) {
      status = 502;
      String why =
          e.getCause() instanceof QueuedExchange.AnswerTooLargeException tooLarge
              ? tooLarge.getMessage()
              : "function " + call.function() + " failed while answering";
      if (e instanceof RuntimeException) {
        LOG.log(Level.WARNING, "asynchronous call " + call.callId() + " failed", e);
      }
      body = ProblemResponses.body(why).getBytes(StandardCharsets.UTF_8);
      contentType = ProblemResponses.CONTENT_TYPE;
      internal = true;
    } finally {
      bytesHeld.addAndGet(-call.body().length);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    metrics.ended(call.function(), answered);
    if (call.callback().isPresent()) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", contentType);
      headers.put("X-Call-Id", call.callId());
      headers.put("X-Function-Name", call.function());
      headers.put("X-Function-Status", Integer.toString(status));
      headers.put("X-Duration-Seconds", String.format(Locale.ROOT, "%.6f", seconds));
      if (internal) {
        headers.put(ProblemResponses.INTERNAL_HEADER, "true");
      }
      deliver(call, call.callback().get(), headers, body);
    }
  }

  private void deliver(QueuedCall call, OutboundUrl url, Map<String, String> headers, byte[] body) {
    CallbackSender.Attempt attempt = null;
    for (int i = 0; i <= Math.max(0, settings.callbackRetries()); i++) {
      if (i > 0) {
        try {
          Thread.sleep(200L << Math.min(i - 1, 5)); // back off: 200 ms, 400 ms, ...
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      attempt = sender.send(url, headers, body);
      if (attempt.outcome() != CallbackSender.Outcome.FAILED) {
        break;
      }
    }
    if (attempt == null || attempt.outcome() != CallbackSender.Outcome.DELIVERED) {
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
              + (attempt == null ? "interrupted" : attempt.outcome() + ", " + attempt.detail()));
    }
  }

  /** A queued call; its call id is logged if the application stops before it runs. */
  private final class Task implements Runnable {
    final QueuedCall call;

    Task(QueuedCall call) {
      this.call = call;
    }

    @Override
    public void run() {
      try {
        AsyncCalls.this.run(call);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "asynchronous call " + call.callId() + " failed", e);
      }
    }
  }
}
