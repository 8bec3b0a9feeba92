package dev.jakartafaas.async.control;

import dev.jakartafaas.async.control.JournalLines.Accepted;
import dev.jakartafaas.async.control.JournalLines.Attempted;
import dev.jakartafaas.async.control.JournalLines.Ended;
import dev.jakartafaas.async.control.JournalLines.Entry;
import dev.jakartafaas.async.control.JournalLines.Requeued;
import dev.jakartafaas.async.entity.Attempt;
import dev.jakartafaas.async.entity.CallRecord;
import dev.jakartafaas.async.entity.CallState;
import dev.jakartafaas.async.entity.QueuedCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Every asynchronous call's record, in memory and in the {@link Journal}: a call exists once its
 * acceptance is forced to disk; its attempts and its end are appended (not forced: a line lost to a
 * power cut only makes the call run again); ended records are kept for {@code
 * faas.async.retention}; the journal is compacted (rewritten with the live records only) when it
 * has grown to twice its last compacted size plus 1 MiB.
 */
final class CallBook {

  private static final Logger LOG = Logger.getLogger(CallBook.class.getName());
  static final long COMPACT_SLACK = 1 << 20;

  /** The call's id is already in the book. */
  static final class DuplicateException extends Exception {
    private static final long serialVersionUID = 1L;

    DuplicateException() {
      super(null, null, false, false);
    }
  }

  /** Why a bound refused a call: calls or bytes. */
  static final class FullException extends Exception {
    private static final long serialVersionUID = 1L;

    FullException() {
      super(null, null, false, false);
    }
  }

  private final Journal journal;
  private final LongSupplier clock;

  /**
   * Forced appends (acceptance, re-queue) hold it shared, rewrites exclusively: a line forced into
   * the old file while the snapshot was being taken would otherwise be lost with that file.
   */
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();

  private final Map<String, TrackedCall> calls = new LinkedHashMap<>();
  private final CallCounts counts = new CallCounts();
  private volatile long compactedSize;

  /** Set when the journal could not be read: it is never overwritten then. */
  private IOException unreadable;

  CallBook(Journal journal, LongSupplier clock) {
    this.journal = journal;
    this.clock = clock;
  }

  Journal journal() {
    return journal;
  }

  /**
   * Reads the journal, drops ended records older than {@code retention}, and rewrites it compacted.
   *
   * @return the calls to run again: queued or waiting (each once), oldest first
   * @throws IOException when the journal cannot be read or rewritten; a journal that could not be
   *     read is left as it is and every later acceptance is refused
   */
  synchronized List<TrackedCall> open(long retentionMillis) throws IOException {
    List<String> lines;
    try {
      lines = journal.read();
    } catch (IOException e) {
      unreadable = e;
      throw e;
    }
    int bad = 0;
    for (String line : lines) {
      try {
        JournalReplay.apply(calls, JournalLines.decode(line));
      } catch (IllegalArgumentException e) {
        bad++;
      }
    }
    if (bad > 0) {
      LOG.warning(bad + " damaged line(s) of " + journal.file() + " were skipped");
    }
    purge(retentionMillis);
    counts.recount(calls.values());
    List<TrackedCall> again = new ArrayList<>();
    for (TrackedCall t : calls.values()) {
      if (!t.state.ended()) {
        again.add(t);
      }
    }
    compact();
    return again;
  }

  /**
   * Journals the call, forced to disk, then adds it, queued.
   *
   * @throws FullException when {@code maxCalls} calls are pending or its body would pass {@code
   *     maxBytes} (bodies of pending and dead calls)
   * @throws IOException when the journal cannot be written: the call is not added
   */
  void admit(QueuedCall call, int maxCalls, long maxBytes)
      throws FullException, DuplicateException, IOException {
    long size = call.body().length;
    long now = clock.getAsLong();
    recoverIfNeeded();
    gate.readLock().lock();
    try {
      admitLocked(call, maxCalls, maxBytes, size, now);
    } finally {
      gate.readLock().unlock();
    }
  }

  private void admitLocked(QueuedCall call, int maxCalls, long maxBytes, long size, long now)
      throws FullException, DuplicateException, IOException {
    synchronized (this) {
      if (unreadable != null) {
        throw new IOException(
            journal.file()
                + " could not be read at start, so it is not written over: "
                + unreadable.getMessage());
      }
      if (calls.containsKey(call.callId())) {
        throw new DuplicateException();
      }
      if (counts.full(maxCalls, maxBytes, size)) {
        throw new FullException();
      }
      if (!journal.writable()) {
        throw new IOException(journal.file() + " could not be opened for writing");
      }
      counts.reserve(size);
    }
    boolean written = false;
    try {
      journal.append(JournalLines.encode(new Accepted(call, now, true)), true);
      written = true;
    } finally {
      synchronized (this) {
        counts.settle(size, written);
        if (written) {
          calls.put(call.callId(), new TrackedCall(call, now));
        }
      }
    }
  }

  /** Marks a queued or waiting call running; empty when it is gone or not runnable. */
  synchronized Optional<TrackedCall> start(String callId) {
    TrackedCall t = calls.get(callId);
    if (t == null || (t.state != CallState.QUEUED && t.state != CallState.WAITING)) {
      return Optional.empty();
    }
    t.state = CallState.RUNNING;
    t.updatedAt = clock.getAsLong();
    return Optional.of(t);
  }

  /** An attempt ended; {@code nextAt} > 0 schedules the retry (the call waits). */
  void attempted(TrackedCall t, Attempt attempt, long nextAt) {
    synchronized (this) {
      t.attempted(attempt, nextAt);
      if (nextAt > 0) {
        t.state = CallState.WAITING;
      }
    }
    write(new Attempted(t.call.callId(), attempt, nextAt));
  }

  /** The call ended: completed (its body dropped) or dead (kept for a re-queue). */
  void end(TrackedCall t, CallState state) {
    long now = clock.getAsLong();
    synchronized (this) {
      counts.ended(state, t.call.body().length);
      t.ended(state, now);
    }
    write(new Ended(t.call.callId(), state, now));
    compactIfGrown();
  }

  /** Compacts once the journal is twice its last compacted size plus the slack. */
  private void compactIfGrown() {
    if (journal.writable() && journal.size() > 2 * compactedSize + COMPACT_SLACK) {
      gate.writeLock().lock();
      try {
        synchronized (this) {
          if (journal.writable() && journal.size() > 2 * compactedSize + COMPACT_SLACK) {
            compact();
          }
        }
      } catch (IOException e) {
        LOG.warning("compacting " + journal.file() + " failed: " + e.getMessage());
      } finally {
        gate.writeLock().unlock();
      }
    }
  }

  /**
   * Queues a dead call again, journaled and forced.
   *
   * @return the call, or empty when there is no such call
   * @throws IllegalStateException when the call is not dead (its state named)
   * @throws IOException when the journal cannot be written: the call stays dead
   */
  Optional<TrackedCall> requeue(String callId) throws IOException {
    long now = clock.getAsLong();
    TrackedCall t;
    synchronized (this) {
      t = calls.get(callId);
      if (t == null) {
        return Optional.empty();
      }
      if (t.state != CallState.DEAD) {
        throw new IllegalStateException(t.state.label());
      }
    }
    recoverIfNeeded();
    gate.readLock().lock();
    try {
      synchronized (this) {
        if (t.state != CallState.DEAD) {
          throw new IllegalStateException(t.state.label());
        }
      }
      journal.append(JournalLines.encode(new Requeued(callId, now)), true);
      synchronized (this) {
        t.requeuedAt(now);
        counts.requeued();
      }
    } finally {
      gate.readLock().unlock();
    }
    return Optional.of(t);
  }

  /** After a failed write that could not be cut off: the whole book written again. */
  private void recoverIfNeeded() throws IOException {
    if (journal.writable()) {
      return;
    }
    gate.writeLock().lock();
    try {
      synchronized (this) {
        if (unreadable == null && !journal.writable()) {
          compact();
        }
      }
    } finally {
      gate.writeLock().unlock();
    }
  }

  synchronized Optional<CallRecord> record(String callId) {
    TrackedCall t = calls.get(callId);
    return t == null ? Optional.empty() : Optional.of(t.record());
  }

  /** The body of a call that still holds it (not completed). */
  synchronized Optional<byte[]> body(String callId) {
    TrackedCall t = calls.get(callId);
    return t == null || !t.holdsBody() ? Optional.empty() : Optional.of(t.call.body());
  }

  /** Records, oldest first, of one function (null: all) in one state (null: any). */
  synchronized List<CallRecord> list(String function, CallState state, int limit) {
    List<CallRecord> out = new ArrayList<>();
    for (TrackedCall t : calls.values()) {
      if ((function == null || function.equals(t.call.function()))
          && (state == null || state == t.state)) {
        out.add(t.record());
        if (out.size() >= limit) {
          break;
        }
      }
    }
    return out;
  }

  /** Forgets ended calls that ended longer than {@code retentionMillis} ago. */
  synchronized int purge(long retentionMillis) {
    long oldest = clock.getAsLong() - retentionMillis;
    int removed = 0;
    for (var it = calls.values().iterator(); it.hasNext(); ) {
      TrackedCall t = it.next();
      if (t.state.ended() && t.endedAt < oldest) {
        if (t.state == CallState.DEAD) {
          counts.forgotDead(t.call.body().length);
        }
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  synchronized int pending() {
    return counts.pending();
  }

  synchronized int dead() {
    return counts.dead();
  }

  synchronized long heldBytes() {
    return counts.heldBytes();
  }

  private void write(Entry e) {
    try {
      journal.append(JournalLines.encode(e), false);
    } catch (IOException x) {
      // the call goes on; after a restart it may run once more than needed, never less
      LOG.warning(
          "asynchronous call "
              + e.callId()
              + ": its progress could not be journaled in "
              + journal.file()
              + ": "
              + x.getMessage());
    }
  }

  private void compact() throws IOException {
    journal.rewrite(JournalReplay.snapshot(calls.values()));
    compactedSize = journal.size();
  }
}
