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
  static final int MAX_HISTORY = 100;

  /** A call's mutable state, guarded by the book. */
  static final class Tracked {
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

    Tracked(QueuedCall call, long acceptedAt) {
      this.call = call;
      this.acceptedAt = acceptedAt;
      this.updatedAt = acceptedAt;
    }

    boolean holdsBody() {
      return state != CallState.COMPLETED;
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
  }

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

  private final Map<String, Tracked> calls = new LinkedHashMap<>();
  private int pending;
  private int dead;
  private long heldBytes;
  private volatile long compactedSize;
  private int reserved;
  private long reservedBytes;

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
  synchronized List<Tracked> open(long retentionMillis) throws IOException {
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
        apply(JournalLines.decode(line));
      } catch (IllegalArgumentException e) {
        bad++;
      }
    }
    if (bad > 0) {
      LOG.warning(bad + " damaged line(s) of " + journal.file() + " were skipped");
    }
    purge(retentionMillis);
    recount();
    List<Tracked> again = new ArrayList<>();
    for (Tracked t : calls.values()) {
      if (!t.state.ended()) {
        again.add(t);
      }
    }
    compact();
    return again;
  }

  private void apply(Entry e) {
    if (e instanceof Accepted a) {
      Tracked t = new Tracked(a.call(), a.at());
      calls.put(a.callId(), t);
      return;
    }
    Tracked t = calls.get(e.callId());
    if (t == null) {
      return;
    }
    if (e instanceof Attempted a) {
      if (a.attempt().number() <= t.attempts) {
        return; // written twice around a compaction
      }
      addHistory(t, a.attempt());
      t.attempts = a.attempt().number();
      t.lastStatus = a.attempt().status();
      t.updatedAt = a.attempt().endedAt();
      t.nextAt = a.nextAt();
      // no retry due and no end: the result's callback may not have gone out, so it runs again
      t.state = a.nextAt() > 0 ? CallState.WAITING : CallState.QUEUED;
    } else if (e instanceof Ended n) {
      t.state = n.state();
      t.endedAt = n.at();
      t.updatedAt = n.at();
      if (n.state() == CallState.COMPLETED) {
        t.call = withoutBody(t.call);
      }
    } else if (e instanceof Requeued r) {
      t.state = CallState.QUEUED;
      t.roundStart = t.attempts;
      t.requeued = true;
      t.endedAt = 0;
      t.updatedAt = r.at();
    }
  }

  private void recount() {
    pending = 0;
    dead = 0;
    heldBytes = 0;
    for (Tracked t : calls.values()) {
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
      if (pending + reserved >= maxCalls || heldBytes + reservedBytes + size > maxBytes) {
        throw new FullException();
      }
      if (!journal.writable()) {
        throw new IOException(journal.file() + " could not be opened for writing");
      }
      reserved++;
      reservedBytes += size;
    }
    boolean written = false;
    try {
      journal.append(JournalLines.encode(new Accepted(call, now, true)), true);
      written = true;
    } finally {
      synchronized (this) {
        reserved--;
        reservedBytes -= size;
        if (written) {
          calls.put(call.callId(), new Tracked(call, now));
          pending++;
          heldBytes += size;
        }
      }
    }
  }

  /** Marks a queued or waiting call running; empty when it is gone or not runnable. */
  synchronized Optional<Tracked> start(String callId) {
    Tracked t = calls.get(callId);
    if (t == null || (t.state != CallState.QUEUED && t.state != CallState.WAITING)) {
      return Optional.empty();
    }
    t.state = CallState.RUNNING;
    t.updatedAt = clock.getAsLong();
    return Optional.of(t);
  }

  /** An attempt ended; {@code nextAt} > 0 schedules the retry (the call waits). */
  void attempted(Tracked t, Attempt attempt, long nextAt) {
    synchronized (this) {
      addHistory(t, attempt);
      t.attempts = attempt.number();
      t.lastStatus = attempt.status();
      t.updatedAt = attempt.endedAt();
      t.nextAt = nextAt;
      if (nextAt > 0) {
        t.state = CallState.WAITING;
      }
    }
    write(new Attempted(t.call.callId(), attempt, nextAt));
  }

  /** The call ended: completed (its body dropped) or dead (kept for a re-queue). */
  void end(Tracked t, CallState state) {
    long now = clock.getAsLong();
    synchronized (this) {
      t.state = state;
      t.endedAt = now;
      t.updatedAt = now;
      pending--;
      if (state == CallState.COMPLETED) {
        heldBytes -= t.call.body().length;
        t.call = withoutBody(t.call);
      } else {
        dead++;
      }
    }
    write(new Ended(t.call.callId(), state, now));
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
  Optional<Tracked> requeue(String callId) throws IOException {
    long now = clock.getAsLong();
    Tracked t;
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
        t.state = CallState.QUEUED;
        t.roundStart = t.attempts;
        t.requeued = true;
        t.endedAt = 0;
        t.updatedAt = now;
        pending++;
        dead--;
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
    Tracked t = calls.get(callId);
    return t == null ? Optional.empty() : Optional.of(t.record());
  }

  /** The body of a call that still holds it (not completed). */
  synchronized Optional<byte[]> body(String callId) {
    Tracked t = calls.get(callId);
    return t == null || !t.holdsBody() ? Optional.empty() : Optional.of(t.call.body());
  }

  /** Records, oldest first, of one function (null: all) in one state (null: any). */
  synchronized List<CallRecord> list(String function, CallState state, int limit) {
    List<CallRecord> out = new ArrayList<>();
    for (Tracked t : calls.values()) {
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
      Tracked t = it.next();
      if (t.state.ended() && t.endedAt < oldest) {
        if (t.state == CallState.DEAD) {
          dead--;
          heldBytes -= t.call.body().length;
        }
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  synchronized int pending() {
    return pending;
  }

  synchronized int dead() {
    return dead;
  }

  synchronized long heldBytes() {
    return heldBytes;
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
    journal.rewrite(snapshot());
    compactedSize = journal.size();
  }

  /** The lines that rebuild the book as it is now. */
  private List<String> snapshot() {
    List<String> lines = new ArrayList<>(calls.size() * 2);
    for (Tracked t : calls.values()) {
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

  private static void addHistory(Tracked t, Attempt a) {
    t.history.add(a);
    if (t.history.size() > MAX_HISTORY) {
      t.history.remove(0);
    }
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
