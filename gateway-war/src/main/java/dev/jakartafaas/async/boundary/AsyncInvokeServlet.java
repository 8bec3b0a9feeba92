package dev.jakartafaas.async.boundary;

import dev.jakartafaas.async.control.AsyncCalls;
import dev.jakartafaas.async.entity.QueuedCall;
import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.invocation.control.ForwardedHeaders;
import dev.jakartafaas.invocation.control.FunctionPath;
import dev.jakartafaas.invocation.control.InvocationSettings;
import dev.jakartafaas.problems.boundary.ProblemResponses;
import dev.jakartafaas.problems.entity.FaasException;
import dev.jakartafaas.problems.entity.MethodNotAllowedException;
import dev.jakartafaas.problems.entity.PayloadTooLargeException;
import dev.jakartafaas.problems.entity.QueueFullException;
import dev.jakartafaas.problems.entity.ReadTimeoutException;
import dev.jakartafaas.security.control.OutboundUrl;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /async-function/<name>[.<namespace>][/<path>]}: reads the whole request, queues it
 * and answers 202 with {@code X-Call-Id}; the function runs later ({@link AsyncCalls}).
 */
@WebServlet(urlPatterns = "/async-function/*", loadOnStartup = 1)
public class AsyncInvokeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final String PREFIX = "/async-function/";
  static final String CALLBACK_URL = "X-Callback-Url";

  @Inject transient AsyncCalls calls;

  @Inject transient InvocationSettings settings;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try {
      if (!"POST".equals(req.getMethod())) {
        resp.setHeader("Allow", "POST");
        throw new MethodNotAllowedException(
            "method "
                + FunctionNames.printable(req.getMethod())
                + " is not supported on /async-function/; use POST");
      }
      FunctionPath at = FunctionPath.parse(req.getRequestURI(), req.getContextPath(), PREFIX);
      String name = FunctionNames.resolve(at.reference());
      calls.requireDeployed(name);
      String callbackHeader = req.getHeader(CALLBACK_URL);
      Optional<OutboundUrl> callback =
          callbackHeader == null ? Optional.empty() : Optional.of(calls.callback(callbackHeader));
      long length = req.getContentLengthLong();
      if (length > settings.maxBodyBytes()) {
        resp.setHeader("Connection", "close");
        throw tooLarge();
      }
      calls.requireRoom(Math.max(0, length));
      byte[] body;
      try {
        body = read(req.getInputStream(), length);
      } catch (PayloadTooLargeException e) {
        resp.setHeader("Connection", "close");
        throw e;
      }
      String callId = ForwardedHeaders.callId(req.getHeader(ForwardedHeaders.CALL_ID));
      calls.accept(
          new QueuedCall(
              callId,
              name,
              at.path(),
              req.getQueryString(),
              headers(req),
              req.getRemoteAddr(),
              body,
              callback));
      resp.setStatus(202);
      resp.setHeader(ForwardedHeaders.CALL_ID, callId);
      resp.setContentLength(0);
    } catch (QueueFullException e) {
      resp.setHeader("Retry-After", "1");
      ProblemResponses.write(resp, e);
    } catch (FaasException e) {
      ProblemResponses.write(resp, e);
    } catch (BodyGoneException e) {
      if (!resp.isCommitted()) {
        resp.setHeader("Connection", "close");
        ProblemResponses.write(
            resp,
            408,
            e.getMessage() != null ? e.getMessage() : "the request body did not arrive in time");
      }
    }
  }

  private static List<String[]> headers(HttpServletRequest req) {
    List<String[]> out = new ArrayList<>();
    for (String name : Collections.list(req.getHeaderNames())) {
      for (String value : Collections.list(req.getHeaders(name))) {
        if (ForwardedHeaders.isSafeValue(value)) {
          out.add(new String[] {name, value});
        }
      }
    }
    return out;
  }

  /** The whole body; more than {@code faas.gateway.max-body-bytes} is refused. */
  private byte[] read(InputStream in, long length) throws BodyGoneException {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.max(0, Math.min(length, 64 * 1024)));
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
        if (total > settings.maxBodyBytes()) {
          throw tooLarge();
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // the deadline's message names its setting (faas.gateway.read-timeout)
      throw new BodyGoneException(e instanceof ReadTimeoutException ? e.getMessage() : null);
    }
    if (length >= 0 && total != length) {
      throw new BodyGoneException(null);
    }
    return out.toByteArray();
  }

  private PayloadTooLargeException tooLarge() {
    return new PayloadTooLargeException(
        "request body larger than "
            + settings.maxBodyBytes()
            + " bytes (faas.gateway.max-body-bytes)");
  }

  /** The caller's body stopped arriving or ended early. */
  private static final class BodyGoneException extends Exception {
    private static final long serialVersionUID = 1L;

    BodyGoneException(String message) {
      super(message, null, false, false);
    }
  }
}
