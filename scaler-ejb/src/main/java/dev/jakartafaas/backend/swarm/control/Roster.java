package dev.jakartafaas.backend.swarm.control;

import dev.jakartafaas.backend.swarm.entity.SwarmTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides, from a function's current tasks and the tasks that already get traffic, which keep it,
 * which must pass a health check first, and which lose it: a task gets traffic only while swarm
 * wants it running, it runs, and it has an address.
 */
public final class Roster {

  /**
   * @param keep routable tasks that were ready: they stay ready without a new probe
   * @param probe routable tasks not ready yet: ready once their health answers 200
   * @param dropped ids of ready tasks that are no longer routable (scaled away, updated, dead)
   */
  public record Plan(List<SwarmTask> keep, List<SwarmTask> probe, Set<String> dropped) {}

  private Roster() {}

  public static Plan plan(Set<String> readyTaskIds, List<SwarmTask> tasks) {
    List<SwarmTask> keep = new ArrayList<>();
    List<SwarmTask> probe = new ArrayList<>();
    Set<String> routable = new HashSet<>();
    List<SwarmTask> sorted =
        tasks.stream().sorted(Comparator.comparingInt(SwarmTask::slot)).toList();
    for (SwarmTask t : sorted) {
      if (!t.routable()) {
        continue;
      }
      routable.add(t.id());
      if (readyTaskIds.contains(t.id())) {
        keep.add(t);
      } else {
        probe.add(t);
      }
    }
    Set<String> dropped = new HashSet<>(readyTaskIds);
    dropped.removeAll(routable);
    return new Plan(List.copyOf(keep), List.copyOf(probe), Set.copyOf(dropped));
  }
}
