/**
 * Asynchronous invocation: {@code /async-function/<name>[/<path>]} stores the request, answers 202
 * with its call id, and a bounded pool of workers later invokes the function exactly as {@code
 * /function/...} would, then posts the result to the caller's {@code X-Callback-Url}, if any and if
 * the outbound rule ({@code dev.jakartafaas.security.control.OutboundCheck}) allows it.
 */
package dev.jakartafaas.async;
