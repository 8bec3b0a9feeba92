package dev.jakartafaas.async.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.async.control.CallBook.Tracked;
import dev.jakartafaas.async.entity.Attempt;
import dev.jakartafaas.async.entity.CallState;
import dev.jakartafaas.async.entity.QueuedCall;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The book and its journal without workers: compaction, retention, a torn last line. */
class CallBookTest {

  @TempDir Path dataDir;
  private final AtomicLong now = new AtomicLong(1_000_000);

  private CallBook book() throws Exception {
    CallBook b = new CallBook(new Journal(dataDir), now::get);
    b.open(3_600_000);
    return b;
  }

  private static QueuedCall call(String id, int bytes) {
    return new QueuedCall(id, "f", "/", null, List.of(), "", new byte[bytes], Optional.empty());
  }

  private static void complete(CallBook b, String id) {
    Tracked t = b.start(id).orElseThrow();
    b.attempted(t, new Attempt(t.attempts + 1, 1, 2, 200, ""), 0);
    b.end(t, CallState.COMPLETED);
  }

  @Test
  void theJournalStaysBoundedWhileCallsCompleteAndKeepsTheirRecords() throws Exception {
    CallBook b = book();
    long largest = 0;
    for (int i = 0; i < 150; i++) {
      b.admit(call("c" + i, 20_000), 1000, 100_000_000);
      complete(b, "c" + i);
      largest = Math.max(largest, b.journal().size());
    }
    // 150 x 20 kB (27 kB in base64) written, 4 MB in all; compaction drops completed bodies, so the
    // file never held them all
    assertTrue(largest < CallBook.COMPACT_SLACK * 2 + 200_000, "largest " + largest);
    b.journal().close();
    CallBook again = book();
    assertEquals(0, again.pending());
    assertEquals(CallState.COMPLETED, again.record("c149").orElseThrow().state());
    assertEquals(CallState.COMPLETED, again.record("c0").orElseThrow().state());
    again.journal().close();
  }

  @Test
  void endedRecordsPastTheRetentionAreForgottenPendingOnesNever() throws Exception {
    CallBook b = book();
    b.admit(call("old", 1), 10, 1000);
    complete(b, "old");
    b.admit(call("pending", 1), 10, 1000);
    now.addAndGet(3_600_001);
    assertEquals(1, b.purge(3_600_000));
    assertTrue(b.record("old").isEmpty());
    assertTrue(b.record("pending").isPresent());
    b.journal().close();
  }

  @Test
  void aTornLastLineIsDroppedAndTheCallsBeforeItRunAgain() throws Exception {
    CallBook b = book();
    b.admit(call("kept", 1), 10, 1000);
    b.journal().close();
    Path file = dataDir.resolve("async").resolve(Journal.FILE);
    Files.write(
        file,
        "{\"t\":\"accept\",\"id\":\"torn\"".getBytes(StandardCharsets.UTF_8),
        java.nio.file.StandardOpenOption.APPEND);
    CallBook again = new CallBook(new Journal(dataDir), now::get);
    List<Tracked> run = again.open(3_600_000);
    assertEquals(List.of("kept"), run.stream().map(t -> t.call.callId()).toList());
    assertTrue(again.record("torn").isEmpty());
    assertTrue(Files.readString(file).endsWith("\n"), "the torn line is gone after the rewrite");
    again.journal().close();
  }

  @Test
  void aWaitingCallKeepsItsDueTimeAcrossARestart() throws Exception {
    CallBook b = book();
    b.admit(call("w", 1), 10, 1000);
    Tracked t = b.start("w").orElseThrow();
    b.attempted(t, new Attempt(1, 1, 2, 503, ""), 5_000_000);
    b.journal().close();
    CallBook again = new CallBook(new Journal(dataDir), now::get);
    Tracked w = again.open(3_600_000).get(0);
    assertEquals(CallState.WAITING, w.state);
    assertEquals(5_000_000, w.nextAt);
    assertEquals(1, w.attempts);
    again.journal().close();
  }
}
