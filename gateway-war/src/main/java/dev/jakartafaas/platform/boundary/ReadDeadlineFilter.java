package dev.jakartafaas.platform.boundary;

import dev.jakartafaas.platform.control.DeadlineInputStream;
import dev.jakartafaas.platform.control.ReadDeadlines;
import dev.jakartafaas.problems.boundary.ProblemResponses;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Puts every request body that is read while the request is handled under {@link ReadDeadlines}'
 * deadline, on every route: a body that is too slow gets 408 and its connection is closed.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ReadDeadlineFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Inject transient ReadDeadlines deadlines;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    if (req.getContentLengthLong() == 0
        || (req.getContentLengthLong() < 0 && req.getHeader("Transfer-Encoding") == null)) {
      chain.doFilter(req, resp);
      return;
    }
    Guarded guarded = new Guarded(req, deadlines);
    try {
      chain.doFilter(guarded, resp);
    } finally {
      DeadlineInputStream in = guarded.in;
      if (in != null) {
        in.close();
        if (in.overdue() && !resp.isCommitted()) {
          resp.setHeader("Connection", "close");
          ProblemResponses.write(
              resp,
              408,
              "the request body did not arrive within the gateway's read timeout"
                  + " (faas.gateway.read-timeout)");
        }
      }
    }
  }

  /** The request whose body stream is guarded, created when it is first asked for. */
  private static final class Guarded extends HttpServletRequestWrapper {
    private final ReadDeadlines deadlines;
    private DeadlineInputStream in;

    Guarded(HttpServletRequest req, ReadDeadlines deadlines) {
      super(req);
      this.deadlines = deadlines;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (in == null) {
        in = deadlines.guard(super.getInputStream());
      }
      return in;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }
}
