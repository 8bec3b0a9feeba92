package dev.jakartafaas.backend.swarm.control;

import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.swarm.entity.SwarmTask;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tells, from the tasks swarm keeps of a service (its history included), why the function has no
 * ready replica: the newest task that failed or was rejected, or one that waits with an error (no
 * node meets its constraints, say), which no amount of waiting cures.
 */
public final class TaskProblems {

  private static final Set<String> FAILED = Set.of("failed", "rejected");

  private TaskProblems() {}

  /** The function's problem, or empty when no task failed since the newest that ran. */
  public static Optional<FunctionProblem> of(List<SwarmTask> tasks) {
    List<SwarmTask> newestFirst =
        tasks.stream().sorted(Comparator.comparing(TaskProblems::at).reversed()).toList();
    int failed = 0;
    SwarmTask newest = null;
    for (SwarmTask t : newestFirst) {
      if ("running".equals(t.state())) {
        break; // what came before a task that ran is history
      }
      boolean problem = FAILED.contains(t.state()) || !t.error().isBlank();
      if (!problem) {
        continue;
      }
      if (newest == null) {
        newest = t;
      }
      if (FAILED.contains(t.state())) {
        failed++;
      }
    }
    if (newest == null) {
      return Optional.empty();
    }
    boolean stuck = !FAILED.contains(newest.state()); // waiting with an error: it stays so
    String error = newest.error().isBlank() ? "no error given" : oneLine(newest.error());
    return Optional.of(
        new FunctionProblem(
            "task " + shortId(newest.id()) + " " + newest.state() + ": " + error,
            stuck ? Math.max(failed, FunctionProblem.KEEPS_FAILING) : failed,
            at(newest)));
  }

  private static Instant at(SwarmTask t) {
    try {
      return t.timestamp().isBlank() ? Instant.EPOCH : Instant.parse(t.timestamp());
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
