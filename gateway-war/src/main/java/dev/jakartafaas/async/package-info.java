/**
 * Asynchronous invocation: {@code /async-function/<name>[/<path>]} writes the request to an
 * append-only journal in the data directory, forced to disk, and only then answers 202 with its
 * call id; a bounded pool of workers later invokes the function exactly as {@code /function/...}
 * would, retries "not now" answers after a scheduled back-off, ends each call completed or dead,
 * and posts the result to the caller's {@code X-Callback-Url}, if any and if the outbound rule
 * ({@code dev.jakartafaas.security.control.OutboundCheck}) allows it. {@code /system/async-calls}
 * shows every call's record and re-queues dead ones; on start, every call without an end runs
 * again.
 */
package dev.jakartafaas.async;
