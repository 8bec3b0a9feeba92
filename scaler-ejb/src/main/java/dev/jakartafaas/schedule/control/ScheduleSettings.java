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

  public static ScheduleSettings from(Config config) {
    return new ScheduleSettings(
        config.getValue(WORKERS, Integer.class), config.getValue(TIME_ZONE, String.class));
  }
}
