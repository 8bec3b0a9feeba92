package dev.jakartafaas.security.control;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down guessing: after {@code maxFailures} failed logins in a row from one client, that
 * client is turned away for a lockout that starts at one second and doubles with every further
 * failure, up to {@code maxLockout}; a success forgets its failures. Remembers at most {@code
 * capacity} clients (the least recently failing are forgotten first), so a flood of addresses
 * cannot grow it without bound. Times are {@link System#nanoTime()} values passed in.
 */
public final class FailureThrottle {

  private record Failures(int count, long blockedUntil) {}

  private final int maxFailures;
  private final long maxLockoutNanos;
  private final int capacity;
  private final LinkedHashMap<String, Failures> clients = new LinkedHashMap<>(64, 0.75f, true);

  public FailureThrottle(int maxFailures, Duration maxLockout, int capacity) {
    this.maxFailures = Math.max(1, maxFailures);
    this.maxLockoutNanos = Math.max(Duration.ofSeconds(1).toNanos(), maxLockout.toNanos());
    this.capacity = Math.max(1, capacity);
  }

  /** How long the client must still wait before it may try again; empty when it may now. */
  public synchronized Optional<Duration> blocked(String client, long now) {
    Failures f = clients.get(client);
    if (f == null || f.blockedUntil() - now <= 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(f.blockedUntil() - now));
  }

  /** Records a failed login; answers the lockout it starts (zero while under the limit). */
  public synchronized Duration failed(String client, long now) {
    Failures f = clients.get(client);
    int count = f == null ? 1 : f.count() + 1;
    long lockout = 0;
    if (count >= maxFailures) {
      int doublings = Math.min(count - maxFailures, 40);
      lockout = Math.min(maxLockoutNanos, Duration.ofSeconds(1).toNanos() << doublings);
      if (lockout <= 0) {
        lockout = maxLockoutNanos;
      }
    }
    clients.put(client, new Failures(count, now + lockout));
    if (clients.size() > capacity) {
      Iterator<Map.Entry<String, Failures>> eldest = clients.entrySet().iterator();
      eldest.next();
      eldest.remove();
    }
    return Duration.ofNanos(lockout);
  }

  public synchronized void succeeded(String client) {
    clients.remove(client);
  }

  synchronized int remembered() {
    return clients.size();
  }
}
