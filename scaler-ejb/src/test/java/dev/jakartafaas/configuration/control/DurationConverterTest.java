package dev.jakartafaas.configuration.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationConverterTest {

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
    "10s, 10000",
    "500ms, 500",
    "2m, 120000",
    "1h, 3600000",
    "30, 30000",
    "1.5, 1500",
    "0.25s, 250",
    "PT5S, 5000",
    "' 3s ', 3000",
  })
  void readsTheWatchdogsDurationFormats(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), DurationConverter.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ten seconds", "5x", "s", "1.5m"})
  void rejectsOtherTextNamingTheValue(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse(text));
    assertEquals(
        "'" + text + "' is not a duration; write it as 500ms, 10s, 2m, 1h or plain seconds",
        e.getMessage());
  }
}
