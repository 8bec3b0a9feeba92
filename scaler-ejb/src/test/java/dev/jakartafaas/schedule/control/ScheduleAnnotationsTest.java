package dev.jakartafaas.schedule.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.problems.entity.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleAnnotationsTest {

  private static FunctionDeployment annotated(Map<String, String> annotations) {
    return new FunctionDeployment(
        "tick", "", "cat", null, null, annotations, null, null, null, null, false);
  }

  @Test
  void aCronTopicWithAScheduleIsScheduled() {
    assertEquals(
        "*/5 * * * *",
        ScheduleAnnotations.of(
                annotated(Map.of("topic", "cron-function", "schedule", "*/5 * * * *")))
            .orElseThrow()
            .text());
  }

  @Test
  void theCronTopicMayBeOneOfAList() {
    assertTrue(
        ScheduleAnnotations.of(
                annotated(Map.of("topic", "orders, cron-function", "schedule", "* * * * *")))
            .isPresent());
  }

  @Test
  void noTopicOrAnotherTopicIsNoSchedule() {
    assertTrue(ScheduleAnnotations.of(annotated(Map.of())).isEmpty());
    assertTrue(
        ScheduleAnnotations.of(annotated(Map.of("topic", "orders", "schedule", "nonsense")))
            .isEmpty());
    assertTrue(ScheduleAnnotations.of(annotated(Map.of("schedule", "* * * * *"))).isEmpty());
  }

  @Test
  void aCronTopicWithoutAScheduleIsBadInput() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ScheduleAnnotations.of(annotated(Map.of("topic", "cron-function"))));
    assertEquals(400, e.status());
    assertEquals(
        "annotations.schedule is required when annotations.topic is cron-function", e.getMessage());
  }

  @Test
  void aScheduleThatDoesNotParseIsBadInputNamingFieldAndToken() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                ScheduleAnnotations.of(
                    annotated(Map.of("topic", "cron-function", "schedule", "*/2 25 * * *"))));
    assertEquals(
        "annotations.schedule \"*/2 25 * * *\" is not a schedule: token \"25\" in the hour field:"
            + " 25 is outside 0-23",
        e.getMessage());
  }
}
