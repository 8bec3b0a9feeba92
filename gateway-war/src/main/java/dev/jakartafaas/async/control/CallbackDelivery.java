package dev.jakartafaas.async.control;

import dev.jakartafaas.async.entity.CallState;
import dev.jakartafaas.async.entity.QueuedCall;
import dev.jakartafaas.metrics.control.AsyncMetrics;
import dev.jakartafaas.problems.boundary.ProblemResponses;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.security.control.OutboundAllowList;
import dev.jakartafaas.security.control.OutboundCheck;
import dev.jakartafaas.security.control.OutboundUrl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * The caller's {@code X-Callback-Url}: checked against the outbound rule when the call is accepted,
 * and sent the call's final result when it ends, a failed delivery tried again on the timer (no
 * worker waits) up to {@code faas.async.callback-retries} times before the call ends anyway.
 */
final class CallbackDelivery {

  private static final Logger LOG = Logger.getLogger(CallbackDelivery.class.getName());

  private final OutboundAllowList allow;
  private final CallbackSender sender;
  private final int retries;
  private final ScheduledExecutorService timer;
  private final Executor pool;
  private final AsyncMetrics metrics;
  private final BiConsumer<TrackedCall, CallState> finish;

  /** {@code finish} ends the call once its result is delivered or given up on. */
  CallbackDelivery(
      AsyncSettings settings,
      ScheduledExecutorService timer,
      Executor pool,
      AsyncMetrics metrics,
      BiConsumer<TrackedCall, CallState> finish) {
    this.allow = allowList(settings.callbackAllow());
    this.sender =
        new CallbackSender(
            OutboundCheck.SYSTEM, allow, AsyncCalls.ALLOW_KEY, settings.callbackTimeout());
    this.retries = Math.max(0, settings.callbackRetries());
    this.timer = timer;
    this.pool = pool;
    this.metrics = metrics;
    this.finish = finish;
  }

  private static OutboundAllowList allowList(Optional<String> entries) {
    try {
      return OutboundAllowList.parse(List.of(entries.orElse("").split(",")));
    } catch (IllegalArgumentException e) {
      // fail closed: a mistyped entry allows nothing rather than something unintended
      LOG.severe(AsyncCalls.ALLOW_KEY + " is ignored: " + e.getMessage());
      return OutboundAllowList.NONE;
    }
  }

  /**
   * Checks a caller's {@code X-Callback-Url} now: a valid http(s) URL whose every address the
   * outbound rule allows.
   *
   * @throws InvalidInputException naming what is wrong
   */
  OutboundUrl check(String header) {
    OutboundUrl url;
    try {
      url = OutboundUrl.parse(header);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("X-Callback-Url refused: " + e.getMessage());
    }
    try {
      OutboundCheck.resolve(url, OutboundCheck.SYSTEM, allow, AsyncCalls.ALLOW_KEY);
    } catch (OutboundCheck.RefusedException e) {
      throw new InvalidInputException("X-Callback-Url refused: " + e.getMessage());
    }
    return url;
  }

  /** The headers of the callback telling how the call ended, after how long and how many tries. */
  static Map<String, String> headers(
      QueuedCall call, CallAttempt.Result r, double seconds, int attempts, CallState state) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", r.contentType());
    headers.put("X-Call-Id", call.callId());
    headers.put("X-Function-Name", call.function());
    headers.put("X-Function-Status", Integer.toString(r.status()));
    headers.put("X-Duration-Seconds", String.format(Locale.ROOT, "%.6f", seconds));
    headers.put(AsyncCalls.ATTEMPTS_HEADER, Integer.toString(attempts));
    headers.put(AsyncCalls.STATE_HEADER, state.label());
    if (r.internal()) {
      headers.put(ProblemResponses.INTERNAL_HEADER, "true");
    }
    return headers;
  }

  /** One delivery attempt; a failed one is tried again later, scheduled like a call's retry. */
  void deliver(
      TrackedCall t, CallState state, Map<String, String> headers, byte[] body, int tries) {
    QueuedCall call = t.call;
    OutboundUrl url = call.callback().orElseThrow();
    CallbackSender.Attempt attempt = sender.send(url, headers, body);
    if (attempt.outcome() == CallbackSender.Outcome.FAILED && tries < retries) {
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
    finish.accept(t, state);
  }
}
