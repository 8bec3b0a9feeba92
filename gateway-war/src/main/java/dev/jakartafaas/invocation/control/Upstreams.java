package dev.jakartafaas.invocation.control;

import dev.jakartafaas.backend.entity.ReplicaAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every replica the proxy has talked to, each an {@link Upstream} with its in-flight count and its
 * pool of idle connections, and the choice among a function's ready ones ({@link ReplicaChoice}).
 */
final class Upstreams {

  private final ConcurrentHashMap<ReplicaAddress, Upstream> upstreams = new ConcurrentHashMap<>();
  private final AtomicLong tickets = new AtomicLong();

  // added to the in-flight count of a replica passed over: chosen only when all others are too
  private static final int PASSED_OVER = 1 << 20;

  /**
   * The ready replica with the fewest requests in flight; one that could not be reached lately
   * ({@link Upstream#passOver}) only when every other is passed over as well.
   *
   * @param avoid one to pass over (it just refused a connection), or null
   */
  Upstream choose(List<ReplicaAddress> ready, Upstream avoid) {
    int n = ready.size();
    if (n == 1) {
      return of(ready.get(0));
    }
    Upstream[] candidates = new Upstream[n];
    int[] inFlight = new int[n];
    int excluded = -1;
    long now = System.nanoTime();
    for (int i = 0; i < n; i++) {
      candidates[i] = of(ready.get(i));
      inFlight[i] = candidates[i].inFlight.get();
      if (candidates[i].passedOver(now)) {
        inFlight[i] += PASSED_OVER;
      }
      if (avoid != null && ready.get(i).equals(avoid.address)) {
        excluded = i;
      }
    }
    return candidates[ReplicaChoice.choose(inFlight, excluded, tickets.getAndIncrement())];
  }

  /** The replica left the ready set for good: its connections go. */
  void stopped(ReplicaAddress address) {
    Upstream u = upstreams.remove(address);
    if (u != null) {
      u.close();
    }
  }

  void closeAll() {
    upstreams.values().forEach(Upstream::close);
    upstreams.clear();
  }

  private Upstream of(ReplicaAddress address) {
    Upstream u = upstreams.get(address);
    return u != null ? u : upstreams.computeIfAbsent(address, Upstream::new);
  }
}
