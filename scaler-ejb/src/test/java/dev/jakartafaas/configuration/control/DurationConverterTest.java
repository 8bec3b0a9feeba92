package dev.jakartafaas.configuration.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class DurationConverterTest {

  /** The watchdog's table (in the shared test jar): one grammar for every duration. */
  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvFileSource(resources = "/dev/jakartafaas/testing/durations.csv")
  void readsDurationsOfTheSharedTableAndRefusesTheRestNamingTheValue(String text, Long millis) {
    if (millis != null) {
      assertEquals(Duration.ofMillis(millis), DurationConverter.parse(text));
      return;
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse(text));
    assertEquals(
        "'" + text + "' is not a duration; write it as 500ms, 10s, 2m, 1h or plain seconds",
        e.getMessage());
  }

  @Test
  void anEmptyValueIsNoValue() {
    assertNull(DurationConverter.parse(" "));
  }
}
