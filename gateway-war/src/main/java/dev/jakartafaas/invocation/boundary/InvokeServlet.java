package dev.jakartafaas.invocation.boundary;

import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.invocation.control.ClientGoneException;
import dev.jakartafaas.invocation.control.FunctionPath;
import dev.jakartafaas.invocation.control.Invoker;
import dev.jakartafaas.problems.boundary.ProblemResponses;
import dev.jakartafaas.problems.entity.FaasException;
import dev.jakartafaas.problems.entity.MethodNotAllowedException;
import dev.jakartafaas.problems.entity.ReadTimeoutException;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * {@code /function/<name>[.<namespace>][/<path>]} for every method. A plain servlet rather than a
 * JAX-RS resource: the hot path needs raw streams and nothing between them.
 */
@WebServlet(urlPatterns = "/function/*", loadOnStartup = 1)
public class InvokeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final String PREFIX = "/function/";
  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  @Inject transient Invoker invoker;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try {
      if (!METHODS.contains(req.getMethod())) {
        throw new MethodNotAllowedException(
            "method "
                + FunctionNames.printable(req.getMethod())
                + " is not supported; use "
                + METHODS);
      }
      FunctionPath at = FunctionPath.parse(req.getRequestURI(), req.getContextPath(), PREFIX);
      invoker.invoke(FunctionNames.resolve(at.reference()), at.path(), req, resp);
    } catch (FaasException e) {
      ProblemResponses.write(resp, e);
    } catch (ClientGoneException e) {
      // the caller left, or its body stopped arriving (the container's read timeout): if it is
      // still there it gets a clear answer rather than the container's default empty 200
      if (!resp.isCommitted()) {
        resp.setHeader("Connection", "close");
        ProblemResponses.write(
            resp,
            408,
            e.getCause() instanceof ReadTimeoutException
                ? e.getCause().getMessage()
                : "the request body did not arrive in time");
      }
    }
  }
}
