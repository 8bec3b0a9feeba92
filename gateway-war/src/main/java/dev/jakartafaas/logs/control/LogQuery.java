package dev.jakartafaas.logs.control;

import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.problems.entity.InvalidInputException;
import jakarta.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The query parameters of {@code /system/logs}, checked, as OpenFaaS's providers read them: {@code
 * tail} a whole number (0 or less: every kept line), {@code since} an RFC 3339 time, {@code follow}
 * true or false ({@code t}, {@code f}, {@code 1}, {@code 0} too).
 */
public record LogQuery(int tail, Instant since, boolean follow) {

  public static final String NDJSON = "application/x-ndjson";

  public static LogQuery parse(String tail, String since, String follow) {
    int t = -1;
    if (tail != null && !tail.isBlank()) {
      try {
        t = Integer.parseInt(tail.trim());
      } catch (NumberFormatException e) {
        throw new InvalidInputException("query parameter 'tail' must be a whole number");
      }
      if (t <= 0) {
        t = -1; // as OpenFaaS's providers: 0 or less is every kept line
      }
    }
    Instant s = null;
    if (since != null && !since.isBlank()) {
      try {
        // a '+' of an offset that the client did not encode arrives as a space
        s = OffsetDateTime.parse(since.trim().replace(' ', '+')).toInstant();
      } catch (DateTimeParseException e) {
        throw new InvalidInputException(
            "query parameter 'since' must be an RFC 3339 time such as 2025-01-31T12:00:00Z");
      }
    }
    boolean f = false;
    if (follow != null && !follow.isBlank()) {
      String v = follow.trim().toLowerCase(java.util.Locale.ROOT);
      if (v.equals("true") || v.equals("t") || v.equals("1")) {
        f = true;
      } else if (!v.equals("false") && !v.equals("f") && !v.equals("0")) {
        throw new InvalidInputException("query parameter 'follow' must be true or false");
      }
    }
    return new LogQuery(t, s, f);
  }

  /** One log line as OpenFaaS's {@code {name, instance, timestamp, text}}. */
  public static String json(LogLine line) {
    return Json.createObjectBuilder()
        .add("name", line.name())
        .add("instance", line.instance())
        .add("timestamp", line.timestamp().toString())
        .add("text", line.text())
        .build()
        .toString();
  }
}
