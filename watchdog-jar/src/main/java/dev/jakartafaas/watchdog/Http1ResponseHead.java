package dev.jakartafaas.watchdog;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the watchdog's server writes a response head: status line, canonical header names, the Date
 * header (formatted once a second), and the plain-text error answer it sends before or instead of a
 * handler. The framing headers are the exchange's to add.
 */
final class Http1ResponseHead {

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);
  private static volatile long dateSecond;
  private static volatile String date = "";

  private Http1ResponseHead() {}

  /**
   * The status line, the handler's headers (without the framing ones: Content-Length,
   * Transfer-Encoding, Connection) and Date, each ending in CRLF; the blank line is not written.
   */
  static StringBuilder start(String protocol, int code, Headers headers) {
    StringBuilder out = new StringBuilder(256);
    out.append(protocol.equals("HTTP/1.0") ? "HTTP/1.0 " : "HTTP/1.1 ")
        .append(code)
        .append(' ')
        .append(reason(code))
        .append("\r\n");
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      String name = canonical(header.getKey());
      if (name.equalsIgnoreCase("Content-Length")
          || name.equalsIgnoreCase("Transfer-Encoding")
          || name.equalsIgnoreCase("Connection")) {
        continue;
      }
      for (String value : header.getValue()) {
        out.append(name).append(": ").append(value).append("\r\n");
      }
    }
    return out.append("Date: ").append(date()).append("\r\n");
  }

  /** A whole plain-text error answer that closes the connection, marked as the watchdog's own. */
  static byte[] error(int status, String message) {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason(status)
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nX-Faas-Internal: true\r\n"
            + "Content-Length: "
            + body.length
            + "\r\nConnection: close\r\nDate: "
            + date()
            + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] answer = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, answer, 0, headBytes.length);
    System.arraycopy(body, 0, answer, headBytes.length, body.length);
    return answer;
  }

  static String date() {
    long now = System.currentTimeMillis() / 1000;
    if (now != dateSecond) {
      date = HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
      dateSecond = now;
    }
    return date;
  }

  /** {@code x-faas-internal} → {@code X-Faas-Internal}. */
  static String canonical(String name) {
    char[] chars = name.toCharArray();
    boolean upper = true;
    for (int i = 0; i < chars.length; i++) {
      chars[i] = upper ? Character.toUpperCase(chars[i]) : chars[i];
      upper = chars[i] == '-';
    }
    return new String(chars);
  }

  static String reason(int code) {
    return switch (code) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 413 -> "Content Too Large";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status";
    };
  }
}
