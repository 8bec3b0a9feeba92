package dev.jakartafaas.logs.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.logs.control.LogFollowers;
import dev.jakartafaas.logs.control.LogQuery;
import dev.jakartafaas.problems.boundary.ProblemResponses;
import dev.jakartafaas.problems.entity.FaasException;
import dev.jakartafaas.problems.entity.MethodNotAllowedException;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /system/logs?name=&tail=&since=&follow=}: one JSON object per line, oldest first; with
 * {@code follow=true} the answer goes on with every new line until the client goes away. A servlet
 * rather than a JAX-RS resource, since a follower's request is suspended and written to without
 * holding a thread; its exact path takes precedence over the management API's {@code /system/*}.
 */
@WebServlet(urlPatterns = "/system/logs", asyncSupported = true)
public class LogsServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject transient Backend backend;
  @Inject transient LogFollowers followers;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try {
      if (!req.getMethod().equals("GET")) {
        throw new MethodNotAllowedException(
            "method " + FunctionNames.printable(req.getMethod()) + " is not supported; use GET");
      }
      FunctionNames.requireNamespace(req.getParameter("namespace"));
      String name = FunctionNames.resolve(req.getParameter("name"));
      LogQuery q =
          LogQuery.parse(
              req.getParameter("tail"), req.getParameter("since"), req.getParameter("follow"));
      if (q.follow()) {
        followers.follow(name, q, req, resp);
        return;
      }
      StringBuilder out = new StringBuilder();
      for (LogLine line : backend.logs(name, q.tail(), q.since())) {
        out.append(LogQuery.json(line)).append('\n');
      }
      byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
      resp.setContentType(LogQuery.NDJSON);
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    } catch (FaasException e) {
      ProblemResponses.write(resp, e);
    }
  }
}
