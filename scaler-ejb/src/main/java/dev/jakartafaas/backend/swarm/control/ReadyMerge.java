package dev.jakartafaas.backend.swarm.control;

import dev.jakartafaas.backend.entity.ReplicaAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges one read of the engine (the functions' services and their ready tasks) into what the
 * backend knew, without losing a change the read may have missed: a read that began before a deploy
 * does not list the new function, one that began before a removal still lists the removed one.
 * Pure: the refresher reads, this decides, the refresher publishes.
 */
public final class ReadyMerge {

  /**
   * What the backend knows between two reads.
   *
   * @param functions function name to service id
   * @param ready function name to its ready replicas, by task id
   * @param deployedAt when each function deployed since some read began was deployed (nanoTime)
   * @param removedAt when each function removed since some read began was removed (nanoTime)
   */
  public record Known(
      Map<String, String> functions,
      Map<String, Map<String, ReplicaAddress>> ready,
      Map<String, Long> deployedAt,
      Map<String, Long> removedAt) {

    public static final Known NOTHING = new Known(Map.of(), Map.of(), Map.of(), Map.of());
  }

  /**
   * One read of the engine.
   *
   * @param started when the read began (nanoTime)
   * @param services function name to service id, as listed
   * @param ready function name to the replicas found ready, by task id
   */
  public record Read(
      long started, Map<String, String> services, Map<String, Map<String, ReplicaAddress>> ready) {}

  /**
   * @param known what the backend knows now
   * @param gone replicas that were ready and are not any more (their connections can go)
   */
  public record Result(Known known, List<ReplicaAddress> gone) {}

  private ReadyMerge() {}

  public static Result merge(Known before, Read read) {
    Map<String, String> functions = new LinkedHashMap<>();
    read.services()
        .forEach(
            (f, id) -> {
              Long removed = before.removedAt().get(f);
              // removed after this read began: the read may predate the removal
              if (removed == null || removed - read.started() < 0) {
                functions.put(f, id);
              }
            });
    before
        .functions()
        .forEach(
            (f, id) -> {
              Long deployed = before.deployedAt().get(f);
              // deployed after this read began: the read may predate the deploy
              if (!functions.containsKey(f) && deployed != null && deployed - read.started() > 0) {
                functions.put(f, id);
              }
            });
    List<ReplicaAddress> gone = new ArrayList<>();
    before
        .ready()
        .forEach(
            (f, replicas) -> {
              Map<String, ReplicaAddress> now = read.ready().get(f);
              replicas.forEach(
                  (task, address) -> {
                    if (now == null || !now.containsKey(task)) {
                      gone.add(address);
                    }
                  });
            });
    Map<String, Map<String, ReplicaAddress>> ready = new HashMap<>();
    for (String f : functions.keySet()) {
      // in the read's order (the tasks' slots)
      ready.put(
          f,
          Collections.unmodifiableMap(new LinkedHashMap<>(read.ready().getOrDefault(f, Map.of()))));
    }
    return new Result(
        new Known(
            Map.copyOf(functions),
            Map.copyOf(ready),
            newerThan(before.deployedAt(), read.started()),
            newerThan(before.removedAt(), read.started())),
        List.copyOf(gone));
  }

  private static Map<String, Long> newerThan(Map<String, Long> times, long started) {
    Map<String, Long> kept = new HashMap<>();
    times.forEach(
        (f, t) -> {
          if (t - started >= 0) {
            kept.put(f, t);
          }
        });
    return Map.copyOf(kept);
  }
}
