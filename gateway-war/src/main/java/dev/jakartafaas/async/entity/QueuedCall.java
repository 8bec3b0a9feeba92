package dev.jakartafaas.async.entity;

import dev.jakartafaas.security.control.OutboundUrl;
import java.util.List;
import java.util.Optional;

/**
 * An accepted asynchronous call, complete in memory: everything the invocation needs after the
 * caller has gone.
 *
 * @param callId the call's id, sent to the function and to the callback
 * @param function a deployed function's name
 * @param path the path after the function's name, starting with {@code /}
 * @param query the raw query without {@code ?}, or null
 * @param headers the caller's request headers as name and value pairs, in order
 * @param peer the address of the peer that sent the request
 * @param body the request body
 * @param callback where to post the result, checked when accepted
 */
public record QueuedCall(
    String callId,
    String function,
    String path,
    String query,
    List<String[]> headers,
    String peer,
    byte[] body,
    Optional<OutboundUrl> callback) {}
