package dev.jakartafaas.platform.boundary;

import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.problems.boundary.ProblemResponses;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The error page for whatever the container answers itself (a missing static file, an exception
 * outside the gateway's own handlers): the status with a one-line text message, instead of the
 * container's HTML page with its name, and never a stack trace.
 */
@WebServlet(urlPatterns = "/error")
public class ErrorServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    String path = FunctionNames.printable(uri == null ? req.getRequestURI() : uri.toString());
    int status = code instanceof Integer i ? i : 404;
    if (req.getAttribute(RequestDispatcher.ERROR_EXCEPTION) != null || status >= 500) {
      ProblemResponses.write(resp, status >= 500 ? status : 500, "internal error");
      return;
    }
    String message =
        switch (status) {
          case 404 -> "no such route: " + path;
          case 405 -> "method " + FunctionNames.printable(req.getMethod()) + " not allowed";
          case 413 -> "request body too large";
          default -> "request refused (" + status + ")";
        };
    ProblemResponses.write(resp, status, message);
  }
}
