package dev.jakartafaas.configuration.control;

import jakarta.annotation.Priority;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads durations with the watchdog's grammar, so that one value means the same on both sides: a
 * number (decimals allowed) followed by {@code ms}, {@code s}, {@code m} or {@code h} in any case,
 * or a plain number of seconds ({@code 500ms}, {@code 10s}, {@code 1.5m}, {@code 30}). The watchdog
 * keeps its own copy (it depends on nothing); both are tested against one table.
 */
@Priority(200)
public class DurationConverter implements Converter<Duration> {

  private static final long serialVersionUID = 1L;

  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /** The duration, or null for an empty value (MicroProfile Config's "no value"). */
  public static Duration parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a duration; write it as 500ms, 10s, 2m, 1h or plain seconds");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    double millis =
        switch (unit) {
          case "ms" -> amount;
          case "s" -> amount * 1_000;
          case "m" -> amount * 60_000;
          default -> amount * 3_600_000;
        };
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }
}
