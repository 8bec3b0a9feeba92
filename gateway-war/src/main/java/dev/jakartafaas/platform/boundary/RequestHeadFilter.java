package dev.jakartafaas.platform.boundary;

import dev.jakartafaas.platform.control.RequestHeadLimits;
import dev.jakartafaas.platform.control.RequestHeadLimits.Refusal;
import dev.jakartafaas.problems.boundary.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import java.util.Optional;

/** Answers a request whose address or headers are too large with 414 or 431 and a message. */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RequestHeadFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    String query = req.getQueryString();
    long target = req.getRequestURI().length() + (query == null ? 0 : 1 + query.length());
    Optional<Refusal> refusal = RequestHeadLimits.check(target, headerBytes(req));
    if (refusal.isPresent()) {
      resp.setHeader("Connection", "close");
      ProblemResponses.write(resp, refusal.get().status(), refusal.get().message());
      return;
    }
    chain.doFilter(req, resp);
  }

  private static long headerBytes(HttpServletRequest req) {
    long bytes = 0;
    Enumeration<String> names = req.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      Enumeration<String> values = req.getHeaders(name);
      while (values.hasMoreElements()) {
        bytes += name.length() + 4L + values.nextElement().length(); // ": " and CRLF
      }
    }
    return bytes;
  }
}
