package dev.jakartafaas.platform.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.problems.boundary.ProblemResponses;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code GET /healthz}: 200 once the gateway and its backend can serve. */
@WebServlet(urlPatterns = "/healthz", loadOnStartup = 1)
public class HealthServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(HealthServlet.class.getName());

  @Inject transient Backend backend;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try {
      backend.list();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "backend not available", e);
      ProblemResponses.write(resp, 503, "the backend is not available");
      return;
    }
    resp.setContentType(ProblemResponses.CONTENT_TYPE);
    resp.getWriter().write("OK\n");
  }
}
