package dev.jakartafaas.schedule.control;

import dev.jakartafaas.schedule.entity.CronSchedule;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a cron schedule: five fields (minute, hour, day of month, month, day of week), or six with
 * seconds first; in each, comma-separated {@code *}, values, ranges {@code a-b} and steps {@code
 * /n} after either, month and weekday names ({@code JAN}, {@code MON}), {@code ?} as {@code *} in
 * the day fields, and the macros {@code @yearly}, {@code @monthly}, {@code @weekly}, {@code
 * @daily}, {@code @hourly}. Each field becomes the explicit list of values an EJB calendar takes
 * (EJB steps exist only in the time fields and only after one value).
 */
public final class CronParser {

  private CronParser() {}

  /** What is wrong with a schedule: the field and token, in one sentence. */
  public static final class BadScheduleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadScheduleException(String message) {
      super(message);
    }
  }

  private record Field(String name, int min, int max, List<String> names) {}

  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  private static final Field SECOND = new Field("second", 0, 59, List.of());
  private static final Field MINUTE = new Field("minute", 0, 59, List.of());
  private static final Field HOUR = new Field("hour", 0, 23, List.of());
  private static final Field DAY_OF_MONTH = new Field("day-of-month", 1, 31, List.of());
  private static final Field MONTH = new Field("month", 1, 12, MONTHS);
  private static final Field DAY_OF_WEEK = new Field("day-of-week", 0, 7, DAYS);

  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  /**
   * @throws BadScheduleException naming the field and the token that is wrong
   */
  public static CronSchedule parse(String text) {
    String trimmed = text == null ? "" : text.strip();
    if (trimmed.isEmpty()) {
      throw new BadScheduleException("the schedule is empty");
    }
    String expanded = trimmed;
    if (trimmed.startsWith("@")) {
      expanded = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
      if (expanded == null) {
        throw new BadScheduleException(
            "\""
                + trimmed
                + "\" is not a known macro (@yearly, @monthly, @weekly, @daily, @hourly)");
      }
    }
    String[] parts = expanded.split("\\s+");
    if (parts.length != 5 && parts.length != 6) {
      throw new BadScheduleException(
          "it has "
              + parts.length
              + " fields: a schedule has five (minute hour day-of-month month day-of-week) or six"
              + " (second first)");
    }
    int i = parts.length == 6 ? 1 : 0;
    String second = parts.length == 6 ? field(SECOND, parts[0]) : "0";
    String minute = field(MINUTE, parts[i]);
    String hour = field(HOUR, parts[i + 1]);
    String dayOfMonth = field(DAY_OF_MONTH, parts[i + 2]);
    String month = field(MONTH, parts[i + 3]);
    String dayOfWeek = field(DAY_OF_WEEK, parts[i + 4]);
    // as Vixie cron: a day field written starting with * (or ?) does not restrict the days
    boolean eitherDay = !isStar(parts[i + 2]) && !isStar(parts[i + 4]);
    return new CronSchedule(trimmed, second, minute, hour, dayOfMonth, month, dayOfWeek, eitherDay);
  }

  private static boolean isStar(String field) {
    return field.startsWith("*") || field.startsWith("?");
  }

  /** The field's values as {@code *} (all) or a sorted comma-separated list. */
  private static String field(Field f, String text) {
    BitSet values = new BitSet();
    for (String token : text.split(",", -1)) {
      add(f, token, values);
    }
    if (f == DAY_OF_WEEK && values.get(7)) {
      values.clear(7);
      values.set(0); // 7 is Sunday too
    }
    int last = f == DAY_OF_WEEK ? 6 : f.max;
    if (values.cardinality() == last - f.min + 1) {
      return "*";
    }
    StringBuilder list = new StringBuilder();
    values.stream().forEach(v -> list.append(list.isEmpty() ? "" : ",").append(v));
    return list.toString();
  }

  private static void add(Field f, String token, BitSet values) {
    if (token.isEmpty()) {
      throw bad(f, token, "an empty item (two commas, or a comma at an end)");
    }
    String range = token;
    int step = 1;
    int slash = token.indexOf('/');
    if (slash >= 0) {
      range = token.substring(0, slash);
      String s = token.substring(slash + 1);
      if (!s.matches("[0-9]{1,3}") || Integer.parseInt(s) == 0) {
        throw bad(f, token, "a step must be a whole number from 1");
      }
      step = Integer.parseInt(s);
    }
    int from;
    int to;
    if (range.equals("*") || (range.equals("?") && isDayField(f))) {
      from = f.min;
      to = f == DAY_OF_WEEK ? 6 : f.max;
    } else {
      int dash = range.indexOf('-');
      if (dash > 0) {
        from = value(f, range.substring(0, dash), token);
        to = value(f, range.substring(dash + 1), token);
        if (from > to) {
          throw bad(f, token, "the range begins after it ends");
        }
      } else {
        from = value(f, range, token);
        to = slash >= 0 ? f.max : from; // a/n: from a to the end, as cron reads it
      }
    }
    for (int v = from; v <= to; v += step) {
      values.set(v);
    }
  }

  private static boolean isDayField(Field f) {
    return f == DAY_OF_MONTH || f == DAY_OF_WEEK;
  }

  private static int value(Field f, String text, String token) {
    if (text.matches("[0-9]{1,2}")) {
      int v = Integer.parseInt(text);
      if (v < f.min || v > f.max) {
        throw bad(f, token, text + " is outside " + f.min + "-" + f.max);
      }
      return v;
    }
    int named = f.names.indexOf(text.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return f == MONTH ? named + 1 : named;
    }
    String what = text.equals(token) ? "" : "\"" + text + "\" is ";
    String names =
        f.names.isEmpty()
            ? ""
            : " nor a name " + f.names.get(0) + "-" + f.names.get(f.names.size() - 1);
    throw bad(f, token, what + "not a number " + f.min + "-" + f.max + names);
  }

  private static BadScheduleException bad(Field f, String token, String why) {
    return new BadScheduleException("token \"" + token + "\" in the " + f.name + " field: " + why);
  }
}
