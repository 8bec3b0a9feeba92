package dev.jakartafaas.ui.boundary;

import dev.jakartafaas.ui.control.SecurityHeaders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Adds {@link SecurityHeaders} to every response under {@code /ui}, errors and redirects too. */
@WebFilter(urlPatterns = "/ui/*")
public class SecurityHeadersFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    SecurityHeaders.ALL.forEach(resp::setHeader);
    chain.doFilter(req, resp);
  }
}
