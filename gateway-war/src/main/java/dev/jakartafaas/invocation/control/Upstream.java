package dev.jakartafaas.invocation.control;

import dev.jakartafaas.backend.entity.ReplicaAddress;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One replica as the proxy sees it: requests in flight (for the replica choice) and a pool of idle
 * keep-alive connections, most recently used first.
 */
final class Upstream {

  /** Idle connections are reused for less than the watchdog's 60 s idle timeout. */
  private static final long MAX_IDLE_NANOS = 30_000_000_000L;

  final ReplicaAddress address;
  final AtomicInteger inFlight = new AtomicInteger();
  private final ConcurrentLinkedDeque<UpstreamConnection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private volatile boolean closed;

  Upstream(ReplicaAddress address) {
    this.address = address;
  }

  /** A pooled connection if a fresh-enough one is idle, else null. */
  UpstreamConnection pooled() {
    UpstreamConnection c;
    while ((c = idle.pollFirst()) != null) {
      idleCount.decrementAndGet();
      if (System.nanoTime() - c.idleSince < MAX_IDLE_NANOS) {
        return c;
      }
      c.close();
    }
    return null;
  }

  UpstreamConnection connect(int connectMillis, int readMillis) throws IOException {
    return UpstreamConnection.open(address, connectMillis, readMillis);
  }

  void release(UpstreamConnection c, int maxIdle) {
    if (closed || c.hasUnreadBytes() || idleCount.get() >= maxIdle) {
      c.close();
      return;
    }
    c.resetForReuse();
    c.idleSince = System.nanoTime();
    idleCount.incrementAndGet();
    idle.offerFirst(c);
    if (closed) {
      closeIdle();
    }
  }

  void close() {
    closed = true;
    closeIdle();
  }

  private void closeIdle() {
    UpstreamConnection c;
    while ((c = idle.pollFirst()) != null) {
      idleCount.decrementAndGet();
      c.close();
    }
  }
}
