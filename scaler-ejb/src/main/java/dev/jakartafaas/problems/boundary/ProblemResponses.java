package dev.jakartafaas.problems.boundary;

import dev.jakartafaas.problems.entity.FaasException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a platform error as every route answers it: the status, {@code X-Faas-Internal: true} and
 * the one-line message as plain text.
 */
public final class ProblemResponses {

  public static final String INTERNAL_HEADER = "X-Faas-Internal";
  public static final String CONTENT_TYPE = "text/plain; charset=utf-8";

  private ProblemResponses() {}

  /** The body for a message: one line, ending with a newline. */
  public static String body(String message) {
    String m = message == null || message.isBlank() ? "unexpected error" : message;
    return m.replaceAll("[\\r\\n]+", " ") + "\n";
  }

  /** Answers with the problem unless the response has already begun. */
  public static void write(HttpServletResponse resp, FaasException problem) throws IOException {
    write(resp, problem.status(), problem.getMessage());
  }

  public static void write(HttpServletResponse resp, int status, String message)
      throws IOException {
    if (resp.isCommitted()) {
      return;
    }
    resp.resetBuffer();
    resp.setStatus(status);
    resp.setHeader(INTERNAL_HEADER, "true");
    resp.setContentType(CONTENT_TYPE);
    byte[] bytes = body(message).getBytes(StandardCharsets.UTF_8);
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }
}
