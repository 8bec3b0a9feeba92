package dev.jakartafaas.async.control;

import dev.jakartafaas.async.entity.CallState;
import java.util.Collection;

/**
 * What bounds the asynchronous queue ({@code faas.async.queue-size}, {@code
 * faas.async.queue-bytes}): calls pending, dead calls, the body bytes they hold, and the room
 * reserved for acceptances whose journal line is being forced. Guarded by {@link CallBook}, whose
 * every change moves it.
 */
final class CallCounts {

  private int pending;
  private int dead;
  private long heldBytes;
  private int reserved;
  private long reservedBytes;

  /** Counts again from the calls (after a replay). */
  void recount(Collection<TrackedCall> calls) {
    pending = 0;
    dead = 0;
    heldBytes = 0;
    for (TrackedCall t : calls) {
      if (!t.state.ended()) {
        pending++;
      } else if (t.state == CallState.DEAD) {
        dead++;
      }
      if (t.holdsBody()) {
        heldBytes += t.call.body().length;
      }
    }
  }

  /** True if one more call of {@code size} body bytes would pass a bound. */
  boolean full(int maxCalls, long maxBytes, long size) {
    return pending + reserved >= maxCalls || heldBytes + reservedBytes + size > maxBytes;
  }

  /** Holds room for a call whose acceptance is being written. */
  void reserve(long size) {
    reserved++;
    reservedBytes += size;
  }

  /** Gives the reserved room back; a call that was {@code written} is pending now. */
  void settle(long size, boolean written) {
    reserved--;
    reservedBytes -= size;
    if (written) {
      pending++;
      heldBytes += size;
    }
  }

  /** A pending call of {@code size} body bytes ended. */
  void ended(CallState state, long size) {
    pending--;
    if (state == CallState.COMPLETED) {
      heldBytes -= size;
    } else {
      dead++;
    }
  }

  void requeued() {
    pending++;
    dead--;
  }

  /** A dead call of {@code size} body bytes was forgotten. */
  void forgotDead(long size) {
    dead--;
    heldBytes -= size;
  }

  int pending() {
    return pending;
  }

  int dead() {
    return dead;
  }

  long heldBytes() {
    return heldBytes;
  }
}
