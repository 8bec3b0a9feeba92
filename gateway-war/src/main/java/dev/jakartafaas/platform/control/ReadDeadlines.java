package dev.jakartafaas.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletInputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The deadline for a request body ({@code faas.gateway.read-timeout}): a client that sends its body
 * too slowly would otherwise hold one of the container's worker threads for as long as it keeps
 * sending a byte now and then. The container's own read timeout only bounds the wait for each next
 * byte. Every body being read is registered here; a sweeper interrupts the reading thread of a body
 * that is overdue, which ends the blocked read.
 */
@ApplicationScoped
public class ReadDeadlines {

  /** How often overdue bodies are looked for: the deadline is kept to within this much. */
  static final Duration SWEEP = Duration.ofMillis(250);

  @Inject PlatformSettings settings;

  @Resource ManagedThreadFactory threadFactory;

  private final Set<DeadlineInputStream> reading = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService sweeper;

  @PostConstruct
  void start() {
    if (!limited()) {
      return;
    }
    sweeper =
        threadFactory == null
            ? Executors.newSingleThreadScheduledExecutor()
            : Executors.newSingleThreadScheduledExecutor(threadFactory);
    sweeper.scheduleWithFixedDelay(
        this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
  }

  /**
   * The request's body with the deadline counted from now, or the body itself when there is no
   * limit. The caller must {@link DeadlineInputStream#close() close} what it gets once the request
   * is over.
   */
  public DeadlineInputStream guard(ServletInputStream in) {
    DeadlineInputStream guarded =
        new DeadlineInputStream(
            in, System.nanoTime() + timeoutNanos(), settings.readTimeout(), this);
    if (limited()) {
      reading.add(guarded);
    }
    return guarded;
  }

  void done(DeadlineInputStream in) {
    reading.remove(in);
  }

  private boolean limited() {
    return !settings.readTimeout().isZero() && !settings.readTimeout().isNegative();
  }

  private long timeoutNanos() {
    return limited() ? settings.readTimeout().toNanos() : Long.MAX_VALUE / 4;
  }

  /** How many bodies are being read under a deadline. */
  int guarded() {
    return reading.size();
  }

  void sweep() {
    long now = System.nanoTime();
    for (DeadlineInputStream in : reading) {
      in.interruptIfOverdue(now);
    }
  }
}
