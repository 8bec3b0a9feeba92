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

  /**
   * How long a replica that could not be reached (its connect timed out, found no route or was
   * refused) is passed over while others are ready: one lost with its node answers nothing until
   * the backend stops listing it (a swarm notices a lost node after about 10 s), and every request
   * sent its way would wait out the connect timeout first.
   */
  static final long PASS_OVER_NANOS = 30_000_000_000L;

  final ReplicaAddress address;
  final AtomicInteger inFlight = new AtomicInteger();
  // System.nanoTime() until which the replica is passed over; 0 when it was never unreachable
  private volatile long passOverUntil;
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
    UpstreamConnection c = UpstreamConnection.open(address, connectMillis, readMillis);
    if (passOverUntil != 0) {
      passOverUntil = 0; // reachable again
    }
    return c;
  }

  /** The replica could not be reached: other replicas are chosen before it until {@code until}. */
  void passOver(long until) {
    passOverUntil = until == 0 ? 1 : until;
  }

  /** Whether the replica is passed over at {@code now} (a {@link System#nanoTime()}). */
  boolean passedOver(long now) {
    long until = passOverUntil;
    return until != 0 && until - now > 0;
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
      dropIdle();
    }
  }

  void close() {
    closed = true;
    dropIdle();
  }

  /** Closes the idle connections: new ones are opened when needed. */
  void dropIdle() {
    UpstreamConnection c;
    while ((c = idle.pollFirst()) != null) {
      idleCount.decrementAndGet();
      c.close();
    }
  }
}
