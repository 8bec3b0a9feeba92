package dev.jakartafaas.backend.swarm.control;

import dev.jakartafaas.backend.entity.LogLine;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads one line of {@code docker service logs} as asked with timestamps and details: {@code
 * <timestamp> <key=value,...> <text>}, where the details name the task.
 */
public final class ServiceLogLines {

  static final String TASK_KEY = "com.docker.swarm.task.id=";

  private ServiceLogLines() {}

  public static LogLine parse(String function, String line) {
    String rest = stripEnd(line);
    Instant timestamp = null;
    int space = rest.indexOf(' ');
    if (space > 0) {
      try {
        timestamp = Instant.parse(rest.substring(0, space));
        rest = rest.substring(space + 1);
      } catch (DateTimeParseException e) {
        timestamp = null;
      }
    }
    String instance = "";
    if (rest.startsWith("com.docker.")) {
      int end = rest.indexOf(' ');
      String details = end < 0 ? rest : rest.substring(0, end);
      rest = end < 0 ? "" : rest.substring(end + 1);
      for (String pair : details.split(",")) {
        if (pair.startsWith(TASK_KEY)) {
          instance = pair.substring(TASK_KEY.length());
        }
      }
    }
    return new LogLine(function, instance, timestamp == null ? Instant.EPOCH : timestamp, rest);
  }

  private static String stripEnd(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    return line.substring(0, end);
  }
}
