package dev.jakartafaas.configuration.control;

import jakarta.annotation.Priority;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads durations as the watchdog does: {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, plain
 * seconds, or ISO-8601 ({@code PT10S}).
 */
@Priority(200)
public class DurationConverter implements Converter<Duration> {

  private static final long serialVersionUID = 1L;

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  public static Duration parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      if (v.startsWith("P") || v.startsWith("p")) {
        return Duration.parse(v);
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      }
      char unit = v.charAt(v.length() - 1);
      String number = v.substring(0, v.length() - 1).trim();
      return switch (unit) {
        case 's' -> Duration.ofMillis(Math.round(Double.parseDouble(number) * 1000));
        case 'm' -> Duration.ofSeconds(Long.parseLong(number) * 60);
        case 'h' -> Duration.ofHours(Long.parseLong(number));
        default -> Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a duration; write it as 500ms, 10s, 2m, 1h or plain seconds", e);
    }
  }
}
