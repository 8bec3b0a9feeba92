package dev.jakartafaas.schedule.entity;

import jakarta.ejb.ScheduleExpression;
import java.util.List;

/**
 * A parsed cron schedule as EJB calendar fields, each a {@code *} or a list of values. Cron fires
 * when either day field matches if both are restricted, an EJB calendar only when both do; such a
 * schedule is then two calendars, one per day field.
 *
 * @param text the schedule as written
 * @param eitherDay both day fields are restricted: fire on a day matching either
 */
public record CronSchedule(
    String text,
    String second,
    String minute,
    String hour,
    String dayOfMonth,
    String month,
    String dayOfWeek,
    boolean eitherDay) {

  /** The calendars whose firings together are this schedule's, in the given time zone. */
  public List<ScheduleExpression> calendars(String timeZone) {
    if (!eitherDay) {
      return List.of(calendar(dayOfMonth, dayOfWeek, timeZone));
    }
    return List.of(calendar(dayOfMonth, "*", timeZone), calendar("*", dayOfWeek, timeZone));
  }

  private ScheduleExpression calendar(String days, String weekDays, String timeZone) {
    return new ScheduleExpression()
        .second(second)
        .minute(minute)
        .hour(hour)
        .dayOfMonth(days)
        .month(month)
        .dayOfWeek(weekDays)
        .year("*")
        .timezone(timeZone);
  }
}
