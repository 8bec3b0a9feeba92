package dev.jakartafaas.async.control;

import dev.jakartafaas.async.control.JournalLines.Accepted;
import dev.jakartafaas.async.control.JournalLines.Attempted;
import dev.jakartafaas.async.control.JournalLines.Ended;
import dev.jakartafaas.async.control.JournalLines.Entry;
import dev.jakartafaas.async.control.JournalLines.Requeued;
import dev.jakartafaas.async.entity.Attempt;
import dev.jakartafaas.async.entity.CallState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The journal's entries turned into calls (replay, at start) and calls turned into the entries that
 * replay into them (the snapshot a compaction writes). One rule read both ways, so the two live
 * together and change together.
 */
final class JournalReplay {

  private JournalReplay() {}

  /** Applies one entry to the calls, by id in journal order. */
  static void apply(Map<String, TrackedCall> calls, Entry e) {
    if (e instanceof Accepted a) {
      calls.put(a.callId(), new TrackedCall(a.call(), a.at()));
      return;
    }
    TrackedCall t = calls.get(e.callId());
    if (t == null) {
      return;
    }
    if (e instanceof Attempted a) {
      if (a.attempt().number() <= t.attempts) {
        return; // written twice around a compaction
      }
      t.attempted(a.attempt(), a.nextAt());
      // no retry due and no end: the result's callback may not have gone out, so it runs again
      t.state = a.nextAt() > 0 ? CallState.WAITING : CallState.QUEUED;
    } else if (e instanceof Ended n) {
      t.ended(n.state(), n.at());
    } else if (e instanceof Requeued r) {
      t.requeuedAt(r.at());
    }
  }

  /** The lines that rebuild {@code calls} as they are now. */
  static List<String> snapshot(Collection<TrackedCall> calls) {
    List<String> lines = new ArrayList<>(calls.size() * 2);
    for (TrackedCall t : calls) {
      lines.add(JournalLines.encode(new Accepted(t.call, t.acceptedAt, t.holdsBody())));
      boolean requeueWritten = false;
      for (int i = 0; i < t.history.size(); i++) {
        Attempt a = t.history.get(i);
        if (t.requeued && !requeueWritten && a.number() > t.roundStart) {
          lines.add(JournalLines.encode(new Requeued(t.call.callId(), a.startedAt())));
          requeueWritten = true;
        }
        boolean last = i == t.history.size() - 1;
        long next = last && t.state == CallState.WAITING ? t.nextAt : 0;
        lines.add(JournalLines.encode(new Attempted(t.call.callId(), a, next)));
      }
      if (t.requeued && !requeueWritten) {
        lines.add(JournalLines.encode(new Requeued(t.call.callId(), t.updatedAt)));
      }
      if (t.state.ended()) {
        lines.add(JournalLines.encode(new Ended(t.call.callId(), t.state, t.endedAt)));
      }
    }
    return lines;
  }
}
