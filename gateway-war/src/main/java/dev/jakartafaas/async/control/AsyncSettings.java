package dev.jakartafaas.async.control;

import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The asynchronous queue's bounds and its callbacks' limits ({@code faas.async.*}), read once from
 * MicroProfile Config.
 *
 * @param queueSize most calls waiting for a worker
 * @param queueBytes most request-body bytes held by calls queued or running
 * @param workers calls run at once
 * @param maxAnswerBytes largest function answer kept for a callback
 * @param callbackAllow comma-separated exceptions to the outbound rule; empty when none are given
 * @param callbackTimeout longest wait to connect to a callback receiver and between two reads
 * @param callbackRetries further attempts after a callback failed to connect or got 5xx
 */
public record AsyncSettings(
    int queueSize,
    long queueBytes,
    int workers,
    long maxAnswerBytes,
    Optional<String> callbackAllow,
    Duration callbackTimeout,
    int callbackRetries) {

  public static final String QUEUE_SIZE = "faas.async.queue-size";
  public static final String QUEUE_BYTES = "faas.async.queue-bytes";
  public static final String WORKERS = "faas.async.workers";
  public static final String MAX_ANSWER_BYTES = "faas.async.max-answer-bytes";
  public static final String CALLBACK_ALLOW = "faas.async.callback-allow";
  public static final String CALLBACK_TIMEOUT = "faas.async.callback-timeout";
  public static final String CALLBACK_RETRIES = "faas.async.callback-retries";

  public static AsyncSettings from(Config config) {
    return new AsyncSettings(
        config.getValue(QUEUE_SIZE, Integer.class),
        config.getValue(QUEUE_BYTES, Long.class),
        config.getValue(WORKERS, Integer.class),
        config.getValue(MAX_ANSWER_BYTES, Long.class),
        config.getOptionalValue(CALLBACK_ALLOW, String.class),
        config.getValue(CALLBACK_TIMEOUT, Duration.class),
        config.getValue(CALLBACK_RETRIES, Integer.class));
  }
}
