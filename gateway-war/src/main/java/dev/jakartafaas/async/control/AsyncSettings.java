package dev.jakartafaas.async.control;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The asynchronous queue's journal, bounds, retries and callbacks ({@code faas.async.*} and {@code
 * faas.data-dir}), read once from MicroProfile Config.
 *
 * @param dataDir the gateway's data directory; the journal is {@code <dataDir>/async/journal.log}
 * @param queueSize most calls pending (queued, running or waiting for a retry)
 * @param queueBytes most request-body bytes held by pending and dead calls (the journal's bound)
 * @param workers calls run at once
 * @param maxAnswerBytes largest function answer kept for a callback
 * @param callbackAllow comma-separated exceptions to the outbound rule; empty when none are given
 * @param callbackTimeout longest wait to connect to a callback receiver and between two reads
 * @param callbackRetries further attempts after a callback failed to connect or got 5xx
 * @param maxAttempts attempts of a call (the first included) before it is dead
 * @param backoffInitial the wait before the first retry, doubled for each further one
 * @param backoffMax the longest wait between two attempts
 * @param retention how long the record of an ended call (completed or dead) is kept
 */
public record AsyncSettings(
    Path dataDir,
    int queueSize,
    long queueBytes,
    int workers,
    long maxAnswerBytes,
    Optional<String> callbackAllow,
    Duration callbackTimeout,
    int callbackRetries,
    int maxAttempts,
    Duration backoffInitial,
    Duration backoffMax,
    Duration retention) {

  public static final String DATA_DIR = "faas.data-dir";
  public static final String QUEUE_SIZE = "faas.async.queue-size";
  public static final String QUEUE_BYTES = "faas.async.queue-bytes";
  public static final String WORKERS = "faas.async.workers";
  public static final String MAX_ANSWER_BYTES = "faas.async.max-answer-bytes";
  public static final String CALLBACK_ALLOW = "faas.async.callback-allow";
  public static final String CALLBACK_TIMEOUT = "faas.async.callback-timeout";
  public static final String CALLBACK_RETRIES = "faas.async.callback-retries";
  public static final String MAX_ATTEMPTS = "faas.async.max-attempts";
  public static final String BACKOFF_INITIAL = "faas.async.backoff-initial";
  public static final String BACKOFF_MAX = "faas.async.backoff-max";
  public static final String RETENTION = "faas.async.retention";

  public static AsyncSettings from(Config config) {
    return new AsyncSettings(
        Path.of(config.getValue(DATA_DIR, String.class).trim()).toAbsolutePath().normalize(),
        config.getValue(QUEUE_SIZE, Integer.class),
        config.getValue(QUEUE_BYTES, Long.class),
        config.getValue(WORKERS, Integer.class),
        config.getValue(MAX_ANSWER_BYTES, Long.class),
        config.getOptionalValue(CALLBACK_ALLOW, String.class),
        config.getValue(CALLBACK_TIMEOUT, Duration.class),
        config.getValue(CALLBACK_RETRIES, Integer.class),
        config.getValue(MAX_ATTEMPTS, Integer.class),
        config.getValue(BACKOFF_INITIAL, Duration.class),
        config.getValue(BACKOFF_MAX, Duration.class),
        config.getValue(RETENTION, Duration.class));
  }
}
