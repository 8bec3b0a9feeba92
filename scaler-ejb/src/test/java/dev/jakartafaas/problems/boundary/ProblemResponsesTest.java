package dev.jakartafaas.problems.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProblemResponsesTest {

  @Test
  void aProblemIsOneLineOfText() {
    assertEquals("function x not found\n", ProblemResponses.body("function x not found"));
    assertEquals("a b c\n", ProblemResponses.body("a\nb\r\nc"));
  }

  @Test
  void aProblemIsNeverEmpty() {
    assertEquals("unexpected error\n", ProblemResponses.body(null));
    assertEquals("unexpected error\n", ProblemResponses.body(" "));
  }
}
