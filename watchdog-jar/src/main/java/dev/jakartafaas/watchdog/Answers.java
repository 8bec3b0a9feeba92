package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * How a {@code mode=fork} answer looks where ours and the classic watchdog's differ on purpose: the
 * content type of output that names none, the methods a function is run for, and (with {@code
 * classic_answers=true}) the classic's exact answers to a non-zero exit, a timeout and another
 * method, for clients that depend on them.
 */
final class Answers {

  /** The methods the classic watchdog runs a function for; others get 405. */
  static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  static final String ALLOW = "GET, POST, PUT, PATCH, DELETE";

  private Answers() {}

  /**
   * The answer's content type: {@code content_type}, else the request's, else told from the output
   * ({@link ContentSniffer}); none for empty output. A classic non-zero exit is told from its body
   * (the exit status line first), as the classic sets no type there.
   *
   * @param head the first bytes of the body as it will be sent
   */
  static String contentType(WatchdogConfig config, String requestType, int exitCode, byte[] head) {
    if (config.classicAnswers() && exitCode != 0) {
      return ContentSniffer.sniff(head, head.length);
    }
    if (config.contentType() != null) {
      return config.contentType();
    }
    if (requestType != null) {
      return requestType;
    }
    return head.length == 0 ? null : ContentSniffer.sniff(head, head.length);
  }

  /** What the classic puts before the output of a failed run ({@code classic_answers} only). */
  static byte[] exitPrefix(WatchdogConfig config, int exitCode) {
    return config.classicAnswers() && exitCode != 0
        ? ("exit status " + exitCode + "\n").getBytes(StandardCharsets.UTF_8)
        : new byte[0];
  }

  /** The run was killed at its timeout: 504 with a message, or the classic's 408. */
  static int killed(HttpExchange exchange, WatchdogConfig config) throws IOException {
    if (config.classicAnswers()) {
      plain(exchange, 408, "Killed process.\n");
      return 408;
    }
    Errors.send(
        exchange,
        504,
        "Function exceeded its timeout of "
            + FunctionHandler.effectiveTimeout(config).toMillis()
            + " ms (exec_timeout/write_timeout) and was killed.");
    return 504;
  }

  /** A method the function is not run for: 405 naming the others, or the classic's empty 405. */
  static int methodNotAllowed(HttpExchange exchange, WatchdogConfig config) throws IOException {
    exchange.getResponseHeaders().set("Allow", ALLOW);
    if (config.classicAnswers()) {
      exchange.sendResponseHeaders(405, -1);
      return 405;
    }
    Errors.send(
        exchange,
        405,
        "Method "
            + exchange.getRequestMethod()
            + " does not run the function (mode=fork runs it for "
            + ALLOW
            + ").");
    return 405;
  }

  private static void plain(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", ContentSniffer.TEXT);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
