package dev.jakartafaas.async.control;

import dev.jakartafaas.async.entity.QueuedCall;
import dev.jakartafaas.invocation.control.Invoker;
import dev.jakartafaas.problems.boundary.ProblemResponses;
import dev.jakartafaas.problems.entity.FaasException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One attempt of an asynchronous call: the function invoked through the same {@link Invoker} as a
 * synchronous call, and its answer, or the platform's problem in its place, kept whole for the
 * {@link RetryRule} and the callback.
 */
final class CallAttempt {

  private CallAttempt() {}

  /** One attempt's answer: the function's or the platform's. */
  record Result(
      int status, byte[] body, String contentType, boolean internal, String detail, boolean last) {}

  /** Invokes the call's function; an answer over {@code maxAnswerBytes} is a last problem. */
  static Result run(Invoker invoker, QueuedCall call, long maxAnswerBytes) {
    QueuedExchange exchange = new QueuedExchange(call, maxAnswerBytes);
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

  /** The platform's problem answer; {@code last} ends the call without a retry. */
  static Result problem(int status, String message, boolean last) {
    return new Result(
        status,
        ProblemResponses.body(message).getBytes(StandardCharsets.UTF_8),
        ProblemResponses.CONTENT_TYPE,
        true,
        message == null ? "" : message,
        last);
  }
}
