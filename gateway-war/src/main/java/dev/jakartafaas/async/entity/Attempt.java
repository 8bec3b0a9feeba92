package dev.jakartafaas.async.entity;

/**
 * One attempt of an asynchronous call, as its record shows it.
 *
 * @param number 1 for the first attempt, counted over the call's whole life (re-queues included)
 * @param startedAt epoch milliseconds when the attempt began
 * @param endedAt epoch milliseconds when it ended
 * @param status the function's status, or the platform's (502 unreachable, 504 timeout, ...)
 * @param detail a one-line reason when the platform produced the status, else empty
 */
public record Attempt(int number, long startedAt, long endedAt, int status, String detail) {}
