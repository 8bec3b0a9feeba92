package dev.jakartafaas.schedule.control;

import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.schedule.entity.CronSchedule;
import java.util.Arrays;
import java.util.Optional;

/**
 * The annotations that put a function on a schedule, with the names OpenFaaS's cron-connector
 * reads: {@code topic} listing {@code cron-function} (a comma-separated list) and {@code schedule}.
 * A {@code schedule} without that topic is not a schedule (the connector ignores it too).
 */
public final class ScheduleAnnotations {

  public static final String TOPIC = "topic";
  public static final String SCHEDULE = "schedule";
  public static final String CRON_TOPIC = "cron-function";

  private ScheduleAnnotations() {}

  /**
   * The deployment's schedule, if it has one.
   *
   * @throws InvalidInputException when the topic asks for a schedule and {@code schedule} is
   *     missing or cannot be parsed, naming the field and the token
   */
  public static Optional<CronSchedule> of(FunctionDeployment d) {
    String topic = d.annotations().get(TOPIC);
    if (topic == null
        || Arrays.stream(topic.split(",")).map(String::strip).noneMatch(CRON_TOPIC::equals)) {
      return Optional.empty();
    }
    String text = d.annotations().get(SCHEDULE);
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(
          "annotations.schedule is required when annotations.topic is " + CRON_TOPIC);
    }
    try {
      return Optional.of(CronParser.parse(text));
    } catch (CronParser.BadScheduleException e) {
      throw new InvalidInputException(
          "annotations.schedule \"" + text.strip() + "\" is not a schedule: " + e.getMessage());
    }
  }
}
