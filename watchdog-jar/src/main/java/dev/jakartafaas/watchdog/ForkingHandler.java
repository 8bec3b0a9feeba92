package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * {@code mode=fork}: one process per request. The body streams to STDIN while STDOUT is read, so a
 * function that never reads its input still answers at once; the output is held until the exit code
 * decides the status.
 */
final class ForkingHandler implements FunctionHandler.Invoker {

  private static final Logger LOG = Logger.getLogger(ForkingHandler.class.getName());

  /** Bodies this small fit in an empty pipe, so writing them never blocks. */
  private static final int INLINE_BODY_BYTES = 16 * 1024;

  private static final int BUFFER_BYTES = 64 * 1024;
  private static final ThreadLocal<byte[]> BUFFERS =
      ThreadLocal.withInitial(() -> new byte[BUFFER_BYTES]);

  private final WatchdogConfig config;
  private final List<String> command;
  private final ProcessReaper reaper;
  private final ExecutorService stdinWriters;
  private final ScheduledExecutorService timers;
  private final CgroupJoin cgroup;

  ForkingHandler(
      WatchdogConfig config,
      List<String> command,
      ProcessReaper reaper,
      ExecutorService stdinWriters,
      ScheduledExecutorService timers) {
    this.config = config;
    this.command = command;
    this.reaper = reaper;
    this.stdinWriters = stdinWriters;
    this.timers = timers;
    this.cgroup = CgroupJoin.of(config.cgroupProcs());
  }

  @Override
  public int invoke(HttpExchange exchange, long contentLength, long deadlineNanos)
      throws IOException {
    long start = System.nanoTime();
    Spool spooledBody = null;
    try {
      if (contentLength < 0) {
        // Chunked: learn the size (and refuse it if too large) before the function starts.
        spooledBody = spoolChunked(exchange);
        if (spooledBody == null) {
          return 413;
        }
        contentLength = spooledBody.size();
      }
      try (Spool output = new Spool(config.maxOutputBytes())) {
        Process process = start(exchange, contentLength);
        if (process == null) {
          return exchange.getResponseCode();
        }
        return run(exchange, process, output, contentLength, spooledBody, deadlineNanos, start);
      }
    } finally {
      if (spooledBody != null) {
        spooledBody.close();
      }
    }
  }

  /** The whole chunked body, or null when it is over the limit (answered 413). */
  private Spool spoolChunked(HttpExchange exchange) throws IOException {
    Spool spooled = new Spool(config.maxBodyBytes());
    if (spooled.readFrom(exchange.getRequestBody(), BUFFERS.get())) {
      return spooled;
    }
    spooled.close();
    Errors.send(
        exchange,
        413,
        "Request body is over the limit of " + config.maxBodyBytes() + " bytes (max_body_bytes).");
    return null;
  }

  /** Starts the function process, or answers why it could not be started and returns null. */
  private Process start(HttpExchange exchange, long contentLength) throws IOException {
    try {
      Launcher.Launch launch = launch(exchange, contentLength);
      return cgroup == null
          ? reaper.start(launch)
          : cgroup.start(() -> reaper.start(launch), reaper::killTree);
    } catch (CgroupJoin.JoinException e) {
      LOG.warning(() -> "cgroup_procs: " + e.getMessage() + ": " + e.getCause());
      Errors.send(
          exchange,
          500,
          "Cannot move the function into its cgroup (cgroup_procs); the call was not run.");
    } catch (NativeCallException e) {
      LOG.warning(() -> "Cannot start fprocess: " + e.getMessage());
      Errors.send(exchange, 500, "Cannot start fprocess: " + e.getMessage() + ".");
    } catch (IOException e) {
      Errors.send(exchange, 502, "Cannot start fprocess: " + e.getMessage());
    }
    return null;
  }

  /** Feeds the body, collects the output until the exit, and answers. */
  private int run(
      HttpExchange exchange,
      Process process,
      Spool output,
      long contentLength,
      Spool spooledBody,
      long deadlineNanos,
      long start)
      throws IOException {
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> timer = killAtDeadline(process, deadlineNanos, timedOut);
    try {
      Future<?> stdinWriter = feedStdin(exchange, process, contentLength, spooledBody);
      boolean complete;
      try (InputStream stdout = process.getInputStream()) {
        complete = output.readFrom(stdout, BUFFERS.get());
        if (!complete) {
          reaper.killTree(process);
        }
      }
      int exitCode = process.waitFor();
      reaper.finished(process);
      if (timer != null) {
        timer.cancel(false);
      }
      if (!awaitStdinWriter(stdinWriter, deadlineNanos)) {
        exchange.getResponseHeaders().set("Connection", "close");
      }
      return answer(exchange, output, exitCode, timedOut.get(), !complete, start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reaper.killTree(process);
      throw new IOException("Interrupted", e);
    } finally {
      if (timer != null) {
        timer.cancel(false);
      }
      if (process.isAlive()) {
        reaper.killTree(process);
        awaitKilled(process);
      }
    }
  }

  /** Kills the process tree at the deadline (none when 0), marking the call as timed out. */
  private ScheduledFuture<?> killAtDeadline(
      Process process, long deadlineNanos, AtomicBoolean timedOut) {
    if (deadlineNanos == 0) {
      return null;
    }
    return timers.schedule(
        () -> {
          timedOut.set(true);
          reaper.killTree(process);
        },
        Math.max(0, deadlineNanos - System.nanoTime()),
        TimeUnit.NANOSECONDS);
  }

  private Launcher.Launch launch(HttpExchange exchange, long contentLength) {
    Map<String, String> env;
    if (config.cgiHeaders()) {
      URI uri = exchange.getRequestURI();
      env =
          CgiEnvironment.build(
              config.environment(),
              new CgiEnvironment.Request(
                  exchange.getRequestMethod(),
                  uri.getRawPath(),
                  uri.getRawQuery(),
                  exchange.getRequestHeaders().getFirst("Host"),
                  contentLength),
              exchange.getRequestHeaders());
    } else {
      env = config.environment();
    }
    return new Launcher.Launch(command, env, true, config.combineOutput());
  }

  /** Starts feeding the body to STDIN; returns the writer still at work, if any. */
  private Future<?> feedStdin(
      HttpExchange exchange, Process process, long contentLength, Spool spooledBody)
      throws IOException {
    OutputStream stdin = process.getOutputStream();
    if (contentLength == 0) {
      closeQuietly(stdin);
    } else if (contentLength <= INLINE_BODY_BYTES) {
      byte[] body;
      if (spooledBody != null) {
        java.io.ByteArrayOutputStream bytes =
            new java.io.ByteArrayOutputStream((int) contentLength);
        spooledBody.writeTo(bytes);
        body = bytes.toByteArray();
      } else {
        body = exchange.getRequestBody().readNBytes((int) contentLength);
      }
      writeQuietly(stdin, body);
    } else {
      InputStream requestBody = exchange.getRequestBody();
      return stdinWriters.submit(
          () -> {
            boolean fed = false;
            try {
              if (spooledBody != null) {
                spooledBody.writeTo(stdin);
              } else {
                requestBody.transferTo(stdin);
              }
              fed = true;
            } catch (IOException e) {
              // The function stopped reading (or exited): the rest of the body is not wanted.
            }
            closeQuietly(stdin);
            if (!fed && spooledBody == null) {
              // Still read it, so the client can finish sending and the connection stays usable.
              try {
                requestBody.transferTo(OutputStream.nullOutputStream());
              } catch (IOException e) {
                // The client went away.
              }
            }
          });
    }
    return null;
  }

  /**
   * The answer waits until the request body is consumed (up to the deadline): only then may the
   * server reuse the connection, and the writer no longer touches the spooled body.
   */
  /** Waits for the STDIN writer until the deadline; false if it is still reading the body. */
  private static boolean awaitStdinWriter(Future<?> writer, long deadlineNanos)
      throws InterruptedException {
    if (writer == null) {
      return true;
    }
    try {
      if (deadlineNanos == 0) {
        writer.get();
      } else {
        writer.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      // The rest of the body stays unread (and may still be read by the writer): this
      // connection cannot carry another request.
      return false;
    }
    return true;
  }

  private int answer(
      HttpExchange exchange,
      Spool output,
      int exitCode,
      boolean timedOut,
      boolean outputTooLarge,
      long start)
      throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("X-Duration-Seconds", seconds(System.nanoTime() - start));
    if (timedOut) {
      return Answers.killed(exchange, config);
    }
    if (outputTooLarge) {
      Errors.send(
          exchange,
          502,
          "Function output exceeded the limit of "
              + config.maxOutputBytes()
              + " bytes (max_output_bytes); the function was killed.");
      return 502;
    }
    int status = exitCode == 0 ? 200 : 500;
    if (exitCode != 0) {
      headers.set("X-Exit-Code", Integer.toString(exitCode));
      LOG.info(() -> "fprocess exited with code " + exitCode);
    }
    byte[] prefix = Answers.exitPrefix(config, exitCode);
    String contentType = contentType(exchange, exitCode, prefix, output);
    if (contentType != null) {
      headers.set("Content-Type", contentType);
    }
    if (config.writeDebug()) {
      LOG.info(
          () ->
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " -> "
                  + status
                  + ", "
                  + output.size()
                  + " bytes of output");
    }
    send(exchange, status, prefix, output);
    return status;
  }

  /** The answer's content type: configured, echoed, or told from the first bytes of the answer. */
  private String contentType(HttpExchange exchange, int exitCode, byte[] prefix, Spool output)
      throws IOException {
    byte[] outputHead = output.head(ContentSniffer.SNIFF_BYTES);
    byte[] head = new byte[Math.min(ContentSniffer.SNIFF_BYTES, prefix.length + outputHead.length)];
    System.arraycopy(prefix, 0, head, 0, Math.min(prefix.length, head.length));
    System.arraycopy(outputHead, 0, head, prefix.length, head.length - prefix.length);
    return Answers.contentType(
        config, exchange.getRequestHeaders().getFirst("Content-Type"), exitCode, head);
  }

  private static void send(HttpExchange exchange, int status, byte[] prefix, Spool output)
      throws IOException {
    long size = prefix.length + output.size();
    if (size == 0 || "HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, size);
      OutputStream body = exchange.getResponseBody();
      body.write(prefix);
      output.writeTo(body);
      body.close();
    }
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
  }

  /** Waits briefly for a killed child, so it is reaped whichever launcher started it. */
  private static void awaitKilled(Process process) {
    try {
      process.waitFor(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void writeQuietly(OutputStream stdin, byte[] body) {
    try (stdin) {
      stdin.write(body);
    } catch (IOException e) {
      // The function exited without reading its input.
    }
  }

  private static void closeQuietly(OutputStream stdin) {
    try {
      stdin.close();
    } catch (IOException e) {
      // Nothing to flush.
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
