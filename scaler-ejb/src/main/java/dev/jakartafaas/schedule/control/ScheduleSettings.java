package dev.jakartafaas.schedule.control;

import org.eclipse.microprofile.config.Config;

/**
 * How scheduled invocations run, read once from MicroProfile Config.
 *
 * @param workers the threads that run scheduled invocations (a timer's thread only hands over)
 * @param timeZone the time zone the schedules are read in
 */
public record ScheduleSettings(int workers, String timeZone) {

  public static final String WORKERS = "faas.schedule.workers";
  public static final String TIME_ZONE = "faas.schedule.time-zone";

  /**
   * @throws IllegalArgumentException naming the key when the time zone is not a zone id
   */
  public static ScheduleSettings from(Config config) {
    String zone = config.getValue(TIME_ZONE, String.class);
    try {
      java.time.ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          TIME_ZONE + "=" + zone + " is not a time zone (e.g. UTC, Europe/Berlin)", e);
    }
    return new ScheduleSettings(config.getValue(WORKERS, Integer.class), zone);
  }
}
