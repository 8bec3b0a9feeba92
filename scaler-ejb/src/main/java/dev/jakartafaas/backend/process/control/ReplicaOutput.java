package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.backend.entity.LogLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * A replica's output, line by line, into its function's log ({@code /system/logs}); the last
 * non-blank line is kept on the replica, to tell why it failed. The backend's own notes go to the
 * same log, prefixed {@code faas:}.
 */
final class ReplicaOutput {

  private static final int MAX_LINE = 8192;
  private static final Duration OUTPUT_WAIT = Duration.ofMillis(500);

  /**
   * What the watchdog's start line says once it listens; in fork mode it is printed after the
   * health check turned 200 (dev.jakartafaas.watchdog.Watchdog.start).
   */
  static final String START_LINE = "Watchdog listening on port ";

  private ReplicaOutput() {}

  /** Reads the replica's output until it ends; run on a thread of its own. */
  static void pump(FunctionReplicas fr, Replica r, InputStream in) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try (in) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b == '\n' || line.size() >= MAX_LINE) {
            emit(fr, r, line);
            if (b == '\n') {
              continue;
            }
          }
          line.write(b);
        }
      }
    } catch (IOException e) {
      // the replica ended
    }
    if (line.size() > 0) {
      emit(fr, r, line);
    }
  }

  /** Waits a little for the pump to read what an ended replica printed last. */
  static void awaitLast(Replica r) {
    Thread pump = r.pump;
    if (pump == null) {
      return;
    }
    try {
      pump.join(OUTPUT_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A line of the backend's own about the function or one of its replicas. */
  static void note(FunctionReplicas fr, Replica r, String text) {
    fr.logs.add(
        new LogLine(fr.name, r == null ? fr.name : r.instance(), Instant.now(), "faas: " + text));
  }

  private static void emit(FunctionReplicas fr, Replica r, ByteArrayOutputStream line) {
    String text = line.toString(StandardCharsets.UTF_8);
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    line.reset();
    if (!text.isBlank()) {
      r.lastLine = text;
    }
    if (r.state == ReplicaState.STARTING && text.contains(START_LINE)) {
      r.readyByStartLine = text.contains(START_LINE + r.address.port() + ", mode fork,");
      r.startLineSeen = true;
      r.startLine.release();
    }
    fr.logs.add(new LogLine(fr.name, r.instance(), Instant.now(), text));
  }
}
