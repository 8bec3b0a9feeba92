package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.swarm.entity.SwarmTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskProblemsTest {

  /**
   * Tasks as {@code state:error} separated by {@code ;}, oldest first (one second apart): the
   * reason's task and state, its error, and the attempts counted.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "running:||",
        "starting:;preparing:||",
        "failed:task: non-zero exit (1)|t1 failed: task: non-zero exit (1)|1",
        "failed:task: non-zero exit (1);failed:task: non-zero exit (1);failed:task: non-zero exit (2)"
            + "|t3 failed: task: non-zero exit (2)|3",
        // what failed before a task that ran is history
        "failed:task: non-zero exit (1);running:||",
        "failed:task: non-zero exit (1);running:;failed:task: non-zero exit (9)"
            + "|t3 failed: task: non-zero exit (9)|1",
        // a replacement on its way after a failure: the failure is still the reason
        "failed:task: non-zero exit (1);starting:|t1 failed: task: non-zero exit (1)|1",
        "rejected:No such image: faas-fn-x:latest|t1 rejected: No such image: faas-fn-x:latest|1",
        // no node meets the constraints: waiting will not help, so it counts as failing for good
        "pending:no suitable node (scheduling constraints not satisfied on 3 nodes)"
            + "|t1 pending: no suitable node (scheduling constraints not satisfied on 3 nodes)|3",
        "failed:|t1 failed: no error given|1",
      })
  void tellsWhyAFunctionHasNoReadyReplica(String tasks, String reason, Integer attempts) {
    List<SwarmTask> list = new ArrayList<>();
    String[] parts = tasks.split(";");
    for (int i = 0; i < parts.length; i++) {
      int colon = parts[i].indexOf(':');
      String state = parts[i].substring(0, colon);
      String error = parts[i].substring(colon + 1);
      String at = Instant.parse("2026-12-03T08:00:00Z").plusSeconds(i).toString();
      list.add(new SwarmTask("t" + (i + 1), "s", 1, "running", state, "", error, at));
    }
    // the engine's order is not the tasks' order in time
    java.util.Collections.reverse(list);
    Optional<FunctionProblem> problem = TaskProblems.of(list);
    if (reason == null) {
      assertEquals(Optional.empty(), problem);
    } else {
      assertEquals("task " + reason, problem.orElseThrow().reason());
      assertEquals(attempts, problem.orElseThrow().attempts());
    }
  }
}
