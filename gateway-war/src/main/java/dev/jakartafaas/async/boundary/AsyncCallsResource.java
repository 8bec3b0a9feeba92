package dev.jakartafaas.async.boundary;

import dev.jakartafaas.async.control.AsyncCalls;
import dev.jakartafaas.async.control.CallJson;
import dev.jakartafaas.async.entity.CallRecord;
import dev.jakartafaas.async.entity.CallState;
import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.invocation.control.ForwardedHeaders;
import dev.jakartafaas.problems.entity.InvalidInputException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code /system/async-calls}: the record of every asynchronous call (kept for {@code
 * faas.async.retention}), the list by function and state, and the re-queue of a dead call.
 */
@Path("async-calls")
public class AsyncCallsResource {

  static final int MAX_LIST = 10_000;

  @Inject AsyncCalls calls;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public String list(
      @QueryParam("function") String function,
      @QueryParam("state") String state,
      @QueryParam("limit") String limit) {
    String name = function == null || function.isEmpty() ? null : FunctionNames.resolve(function);
    CallState s;
    try {
      s = state == null || state.isEmpty() ? null : CallState.of(state);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
    return CallJson.list(calls.list(name, s, limit(limit)));
  }

  @GET
  @Path("{callId}")
  @Produces(MediaType.APPLICATION_JSON)
  public String record(@PathParam("callId") String callId, @QueryParam("body") String body) {
    CallRecord r = calls.record(requireId(callId));
    boolean withBody = "true".equals(body) || "1".equals(body);
    return CallJson.of(r, withBody ? calls.body(callId).orElse(null) : null).toString();
  }

  @POST
  @Path("{callId}/retry")
  @Produces(MediaType.APPLICATION_JSON)
  public Response retry(@PathParam("callId") String callId) {
    CallRecord r = calls.requeue(requireId(callId));
    return Response.accepted(CallJson.of(r, null).toString()).build();
  }

  private static String requireId(String callId) {
    if (!ForwardedHeaders.isCallId(callId)) {
      throw new InvalidInputException(
          "call id '"
              + FunctionNames.printable(callId)
              + "' is not valid: 1 to 128 letters, digits, '.', '_', ':' or '-'");
    }
    return callId;
  }

  private static int limit(String limit) {
    if (limit == null || limit.isEmpty()) {
      return 1000;
    }
    try {
      int n = Integer.parseInt(limit);
      if (n >= 1 && n <= MAX_LIST) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidInputException(
        "limit '" + FunctionNames.printable(limit) + "' is not 1 to " + MAX_LIST);
  }
}
