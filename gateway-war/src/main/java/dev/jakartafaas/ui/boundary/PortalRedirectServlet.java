package dev.jakartafaas.ui.boundary;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /ui} redirects to {@code /ui/}, so that the page's relative URLs resolve; mapped here
 * rather than left to the container so the redirect passes {@link SecurityHeadersFilter} too.
 */
@WebServlet(urlPatterns = "/ui")
public class PortalRedirectServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.sendRedirect(req.getContextPath() + "/ui/");
  }
}
