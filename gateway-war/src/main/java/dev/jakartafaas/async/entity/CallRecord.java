package dev.jakartafaas.async.entity;

import java.util.List;

/**
 * What {@code GET /system/async-calls/{callId}} shows of a call: never its body unless asked.
 *
 * @param callId the call's id
 * @param function the function it calls
 * @param state where it is
 * @param attempts attempts made so far
 * @param lastStatus the last attempt's status, 0 before the first one ended
 * @param acceptedAt epoch milliseconds when it was answered 202
 * @param updatedAt epoch milliseconds of its last change
 * @param nextAttemptAt epoch milliseconds of the scheduled retry while {@code waiting}, else 0
 * @param endedAt epoch milliseconds when it completed or died, else 0
 * @param history the attempts, oldest first
 * @param hasCallback whether a callback URL was given
 */
public record CallRecord(
    String callId,
    String function,
    CallState state,
    int attempts,
    int lastStatus,
    long acceptedAt,
    long updatedAt,
    long nextAttemptAt,
    long endedAt,
    List<Attempt> history,
    boolean hasCallback) {}
