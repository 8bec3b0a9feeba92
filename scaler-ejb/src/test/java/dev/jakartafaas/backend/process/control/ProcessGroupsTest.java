package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessGroupsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plain|1234 (java) S 1 1234 1234 0 -1|1234",
        "spaces in command|77 (my func) R 5 70 70 0|70",
        "parentheses in command|9 (a) b (c)) S 1 42 42|42",
      })
  void readsTheGroupFromProcStat(String title, String stat, long group) {
    assertEquals(OptionalLong.of(group), ProcessGroups.groupOf(stat));
  }

  @Test
  void toleratesGarbage() {
    assertTrue(ProcessGroups.groupOf("no parenthesis").isEmpty());
    assertTrue(ProcessGroups.groupOf("1 (x) S").isEmpty());
  }

  @Test
  void findsTheGroupOfThisProcess() {
    long self = ProcessHandle.current().pid();
    long group = ProcessGroups.groupOf(self).orElseThrow();
    assertTrue(ProcessGroups.members(group).contains(self));
  }
}
