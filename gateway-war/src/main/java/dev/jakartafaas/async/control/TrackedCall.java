package dev.jakartafaas.async.control;

import dev.jakartafaas.async.entity.Attempt;
import dev.jakartafaas.async.entity.CallRecord;
import dev.jakartafaas.async.entity.CallState;
import dev.jakartafaas.async.entity.QueuedCall;
import java.util.ArrayList;
import java.util.List;

/**
 * One asynchronous call's mutable state while {@link CallBook} holds it, guarded by the book. Its
 * changes (an attempt, an end, a re-queue) are written once here, so the live book and the replay
 * of the journal ({@link JournalReplay}) change a call the same way.
 */
final class TrackedCall {

  static final int MAX_HISTORY = 100;

  QueuedCall call;
  final long acceptedAt;
  long updatedAt;
  long nextAt;
  long endedAt;
  CallState state = CallState.QUEUED;
  int attempts;
  int roundStart;
  int lastStatus;
  boolean requeued;
  final List<Attempt> history = new ArrayList<>();

  TrackedCall(QueuedCall call, long acceptedAt) {
    this.call = call;
    this.acceptedAt = acceptedAt;
    this.updatedAt = acceptedAt;
  }

  boolean holdsBody() {
    return state != CallState.COMPLETED;
  }

  /** An attempt ended; {@code nextAt} > 0 is when the retry is due. The state is the caller's. */
  void attempted(Attempt attempt, long nextAt) {
    history.add(attempt);
    if (history.size() > MAX_HISTORY) {
      history.remove(0);
    }
    attempts = attempt.number();
    lastStatus = attempt.status();
    updatedAt = attempt.endedAt();
    this.nextAt = nextAt;
  }

  /** The call ended at {@code at}; a completed call drops its body. */
  void ended(CallState ending, long at) {
    state = ending;
    endedAt = at;
    updatedAt = at;
    if (ending == CallState.COMPLETED) {
      call = withoutBody(call);
    }
  }

  /** A dead call queued again at {@code at}; its attempts count from here. */
  void requeuedAt(long at) {
    state = CallState.QUEUED;
    roundStart = attempts;
    requeued = true;
    endedAt = 0;
    updatedAt = at;
  }

  CallRecord record() {
    return new CallRecord(
        call.callId(),
        call.function(),
        state,
        attempts,
        lastStatus,
        acceptedAt,
        updatedAt,
        state == CallState.WAITING ? nextAt : 0,
        endedAt,
        List.copyOf(history),
        call.callback().isPresent());
  }

  private static QueuedCall withoutBody(QueuedCall c) {
    return c.body().length == 0
        ? c
        : new QueuedCall(
            c.callId(),
            c.function(),
            c.path(),
            c.query(),
            c.headers(),
            c.peer(),
            new byte[0],
            c.callback());
  }
}
