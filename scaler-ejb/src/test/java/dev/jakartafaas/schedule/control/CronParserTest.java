package dev.jakartafaas.schedule.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.schedule.entity.CronSchedule;
import jakarta.ejb.ScheduleExpression;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronParserTest {

  /** second | minute | hour | day-of-month | month | day-of-week as the EJB calendar gets them. */
  private static String fields(CronSchedule s) {
    return String.join(
        " | ", s.second(), s.minute(), s.hour(), s.dayOfMonth(), s.month(), s.dayOfWeek());
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "* * * * *; 0 | * | * | * | * | *",
        "*/15 * * * *; 0 | 0,15,30,45 | * | * | * | *",
        "0 9 * * 1-5; 0 | 0 | 9 | * | * | 1,2,3,4,5",
        "30 2 1 * *; 0 | 30 | 2 | 1 | * | *",
        "0 0 * JAN,jul *; 0 | 0 | 0 | * | 1,7 | *",
        "0 0 * * MON-FRI; 0 | 0 | 0 | * | * | 1,2,3,4,5",
        "0 0 * * 7; 0 | 0 | 0 | * | * | 0",
        "0 0 * * 0-7; 0 | 0 | 0 | * | * | *",
        "0 0 * * 5-7; 0 | 0 | 0 | * | * | 0,5,6",
        "0 0 */10 * *; 0 | 0 | 0 | 1,11,21,31 | * | *",
        "0 0 * */3 *; 0 | 0 | 0 | * | 1,4,7,10 | *",
        "10-20/5 * * * *; 0 | 10,15,20 | * | * | * | *",
        "50/5 * * * *; 0 | 50,55 | * | * | * | *",
        "1,2,1 * * * *; 0 | 1,2 | * | * | * | *",
        "0-59 0-23 1-31 1-12 0-6; 0 | * | * | * | * | *",
        "*/2 * * * * *; 0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38,40,42,44,46,48,50,52,54,56,58 | * | * | * | * | *",
        "30 */5 * * * *; 30 | 0,5,10,15,20,25,30,35,40,45,50,55 | * | * | * | *",
        "0 0 ? * 1; 0 | 0 | 0 | * | * | 1",
        "@hourly; 0 | 0 | * | * | * | *",
        "@daily; 0 | 0 | 0 | * | * | *",
        "@weekly; 0 | 0 | 0 | * | * | 0",
        "  0   12 * * *  ; 0 | 0 | 12 | * | * | *",
      })
  void translatesCronFieldsIntoCalendarValues(String text, String expected) {
    assertEquals(expected, fields(CronParser.parse(text)));
  }

  @ParameterizedTest(name = "\"{0}\": {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "61 * * * *; token \"61\" in the minute field: 61 is outside 0-59",
        "* 24 * * *; token \"24\" in the hour field: 24 is outside 0-23",
        "* * 0 * *; token \"0\" in the day-of-month field: 0 is outside 1-31",
        "* * * 13 *; token \"13\" in the month field: 13 is outside 1-12",
        "* * * * 8; token \"8\" in the day-of-week field: 8 is outside 0-7",
        "60 * * * * *; token \"60\" in the second field: 60 is outside 0-59",
        "*/0 * * * *; token \"*/0\" in the minute field: a step must be a whole number from 1",
        "*/x * * * *; token \"*/x\" in the minute field: a step must be a whole number from 1",
        "20-10 * * * *; token \"20-10\" in the minute field: the range begins after it ends",
        "1,,2 * * * *; token \"\" in the minute field: an empty item (two commas, or a comma at an end)",
        "x * * * *; token \"x\" in the minute field: not a number 0-59",
        "* * * FOO *; token \"FOO\" in the month field: not a number 1-12 nor a name JAN-DEC",
        "* * * * funday; token \"funday\" in the day-of-week field: not a number 0-7 nor a name SUN-SAT",
        "? * * * *; token \"?\" in the minute field: not a number 0-59",
        "L * * * *; token \"L\" in the minute field: not a number 0-59",
        "* * * *; it has 4 fields: a schedule has five (minute hour day-of-month month day-of-week) or six (second first)",
        "* * * * * * *; it has 7 fields: a schedule has five (minute hour day-of-month month day-of-week) or six (second first)",
        "0 0 * * mon-funday; token \"mon-funday\" in the day-of-week field: \"funday\" is not a number 0-7 nor a name SUN-SAT",
        "*/x5 * * * *; token \"*/x5\" in the minute field: a step must be a whole number from 1",
        "1-x/2 * * * *; token \"1-x/2\" in the minute field: \"x\" is not a number 0-59",
        "@every 5s; \"@every 5s\" is not a known macro (@yearly, @monthly, @weekly, @daily, @hourly)",
      })
  void namesTheFieldAndTheTokenThatIsWrong(String text, String message) {
    CronParser.BadScheduleException e =
        assertThrows(CronParser.BadScheduleException.class, () -> CronParser.parse(text));
    assertEquals(message, e.getMessage());
  }

  @Test
  void refusesAnEmptySchedule() {
    assertEquals(
        "the schedule is empty",
        assertThrows(CronParser.BadScheduleException.class, () -> CronParser.parse("  "))
            .getMessage());
  }

  @Test
  void bothDayFieldsRestrictedFireOnEitherAsCronDoes() {
    CronSchedule s = CronParser.parse("0 0 1,15 * MON");
    assertTrue(s.eitherDay());
    List<ScheduleExpression> calendars = s.calendars("UTC");
    assertEquals(2, calendars.size());
    assertEquals("1,15", calendars.get(0).getDayOfMonth());
    assertEquals("*", calendars.get(0).getDayOfWeek());
    assertEquals("*", calendars.get(1).getDayOfMonth());
    assertEquals("1", calendars.get(1).getDayOfWeek());
  }

  @Test
  void aDayFieldWrittenWithAStarDoesNotRestrictEvenWithAStep() {
    CronSchedule s = CronParser.parse("0 0 */2 * MON");
    assertFalse(s.eitherDay());
    ScheduleExpression only = s.calendars("UTC").get(0);
    assertEquals("1", only.getDayOfWeek());
    assertTrue(only.getDayOfMonth().startsWith("1,3,5"));
  }

  @Test
  void oneCalendarCarriesEveryFieldAndTheTimeZone() {
    ScheduleExpression e = CronParser.parse("5 4 3 2 *").calendars("Europe/Berlin").get(0);
    assertEquals("0", e.getSecond());
    assertEquals("5", e.getMinute());
    assertEquals("4", e.getHour());
    assertEquals("3", e.getDayOfMonth());
    assertEquals("2", e.getMonth());
    assertEquals("*", e.getDayOfWeek());
    assertEquals("*", e.getYear());
    assertEquals("Europe/Berlin", e.getTimezone());
  }
}
