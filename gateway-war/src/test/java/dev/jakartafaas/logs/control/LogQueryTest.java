package dev.jakartafaas.logs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.problems.entity.InvalidInputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogQueryTest {

  @Test
  void defaultsToEverythingKept() {
    assertEquals(new LogQuery(-1, null, false), LogQuery.parse(null, null, null));
    assertEquals(new LogQuery(-1, null, false), LogQuery.parse("", "", ""));
  }

  @Test
  void readsTailSinceAndFollow() {
    assertEquals(
        new LogQuery(10, Instant.parse("2025-01-31T11:00:00Z"), true),
        LogQuery.parse("10", "2025-01-31T12:00:00+01:00", "true"));
    assertEquals(-1, LogQuery.parse("-5", null, "false").tail());
  }

  /** What faas-cli 0.16 sends: {@code tail=-1} unless --lines, a --since as RFC 3339 seconds. */
  @ParameterizedTest(name = "tail={0} since={1} follow={2}")
  @CsvSource({
    "-1, , true, -1, , true",
    "0, , false, -1, , false",
    "5, 2026-12-03T15:04:05+01:00, true, 5, 2026-12-03T14:04:05Z, true",
    "'', 2026-12-03T15:04:05 01:00, t, -1, 2026-12-03T14:04:05Z, true",
    "1, 2026-12-03T14:04:05Z, F, 1, 2026-12-03T14:04:05Z, false",
  })
  void readsWhatFaasCliSends(String tail, String since, String follow, int t, String s, boolean f) {
    assertEquals(
        new LogQuery(t, s == null ? null : Instant.parse(s), f),
        LogQuery.parse(tail, since, follow));
  }

  @ParameterizedTest(name = "tail={0} since={1} follow={2}")
  @CsvSource({
    "ten, , , 'tail' must be a whole number",
    "1.5, , , 'tail' must be a whole number",
    ", yesterday, , 'since' must be an RFC 3339 time",
    ", 2025-01-31, , 'since' must be an RFC 3339 time",
    ", , maybe, 'follow' must be true or false",
  })
  void rejectsMalformedParameters(String tail, String since, String follow, String message) {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> LogQuery.parse(tail, since, follow));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void writesOneJsonObjectPerLine() {
    String json =
        LogQuery.json(
            new LogLine("echoit", "echoit-1", Instant.parse("2025-01-02T03:04:05Z"), "a \"b\"\n"));
    assertEquals(
        "{\"name\":\"echoit\",\"instance\":\"echoit-1\",\"timestamp\":\"2025-01-02T03:04:05Z\","
            + "\"text\":\"a \\\"b\\\"\\n\"}",
        json);
  }
}
