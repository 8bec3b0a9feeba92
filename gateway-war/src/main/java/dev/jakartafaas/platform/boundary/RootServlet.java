package dev.jakartafaas.platform.boundary;

import dev.jakartafaas.problems.boundary.ProblemResponses;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /} redirects to the portal at {@code /ui/}. The container also maps here paths that
 * normalise to the root (such as {@code /function/%2e%2e}); those are answered 404.
 */
@WebServlet(urlPatterns = "")
public class RootServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String root = req.getContextPath() + "/";
    if (!req.getRequestURI().equals(root) && !req.getRequestURI().equals(req.getContextPath())) {
      ProblemResponses.write(resp, 404, "no such route");
      return;
    }
    resp.sendRedirect(root + "ui/");
  }
}
