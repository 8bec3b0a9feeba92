package dev.jakartafaas.async.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jakartafaas.async.entity.CallState;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryRuleTest {

  @ParameterizedTest(name = "status {0}, attempt {1} of {2}: {3}")
  @CsvSource({
    "200, 1, 5, COMPLETE",
    "202, 1, 5, COMPLETE",
    "404, 1, 5, COMPLETE",
    "500, 1, 5, COMPLETE", // the function's own error: final by default
    "400, 4, 5, COMPLETE",
    "429, 1, 5, RETRY",
    "502, 1, 5, RETRY",
    "503, 2, 5, RETRY",
    "504, 4, 5, RETRY",
    "503, 5, 5, DIE",
    "503, 6, 5, DIE", // past the max (a replayed last attempt)
    "503, 1, 1, DIE",
    "503, 1, 0, DIE", // max below 1 means one attempt
  })
  void retriesOnlyNotNowStatusesUpToMaxAttempts(
      int status, int attempt, int max, RetryRule.Next expected) {
    assertEquals(expected, RetryRule.decide(status, attempt, max, RetryRule.DEFAULT_CODES));
  }

  @Test
  void aDeploymentsAnnotationReplacesTheStatusesRetried() {
    assertEquals(RetryRule.DEFAULT_CODES, RetryRule.codes(Map.of()));
    assertEquals(RetryRule.DEFAULT_CODES, RetryRule.codes(null));
    assertEquals(Set.of(500, 503), RetryRule.codes(Map.of(RetryRule.CODES_ANNOTATION, "500, 503")));
    assertEquals(Set.of(500), RetryRule.codes(Map.of(RetryRule.CODES_ANNOTATION, "500,x,99,600")));
    assertEquals(RetryRule.DEFAULT_CODES, RetryRule.codes(Map.of(RetryRule.CODES_ANNOTATION, "x")));
    assertEquals(RetryRule.DEFAULT_CODES, RetryRule.codes(Map.of(RetryRule.CODES_ANNOTATION, " ")));
    assertEquals(
        RetryRule.Next.RETRY,
        RetryRule.decide(500, 1, 3, RetryRule.codes(Map.of(RetryRule.CODES_ANNOTATION, "500"))));
    assertEquals(
        RetryRule.Next.COMPLETE,
        RetryRule.decide(503, 1, 3, RetryRule.codes(Map.of(RetryRule.CODES_ANNOTATION, "500"))));
  }

  @Test
  void aCallThatDiesIsDeadAndAnyOtherEndIsCompleted() {
    assertEquals(CallState.DEAD, RetryRule.ending(RetryRule.Next.DIE));
    assertEquals(CallState.COMPLETED, RetryRule.ending(RetryRule.Next.COMPLETE));
  }
}
