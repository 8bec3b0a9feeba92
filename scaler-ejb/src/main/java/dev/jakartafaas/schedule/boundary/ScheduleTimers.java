package dev.jakartafaas.schedule.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.metrics.control.ScheduleMetrics;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.schedule.control.ScheduleAnnotations;
import dev.jakartafaas.schedule.control.ScheduleSettings;
import dev.jakartafaas.schedule.control.ScheduledCall;
import dev.jakartafaas.schedule.control.ScheduledRuns;
import dev.jakartafaas.schedule.entity.CronSchedule;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.NoMoreTimeoutsException;
import jakarta.ejb.NoSuchObjectLocalException;
import jakarta.ejb.ScheduleExpression;
import jakarta.ejb.Singleton;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * One programmatic, non-persistent calendar timer per scheduled function (two when both day fields
 * are restricted): set at deploy, replaced at update, cancelled at delete, and made again from the
 * stored deployments when the gateway starts ({@link #start}). A firing only hands the function to
 * {@link ScheduledRuns}, so the container's timer threads never wait for a function.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ScheduleTimers {

  private static final Logger LOG = Logger.getLogger(ScheduleTimers.class.getName());

  @Resource TimerService timers;

  @Inject Backend backend;

  @Inject ScheduledRuns runs;

  @Inject ScheduleMetrics metrics;

  @Inject ScheduleSettings settings;

  private final Map<String, List<Timer>> byFunction = new ConcurrentHashMap<>();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final Map<String, Long> lastSecond = new ConcurrentHashMap<>();
  private long made;

  /**
   * Attaches the gateway's invocation path and sets the timers of every stored function with a
   * schedule; a stored schedule that no longer parses is logged and left unscheduled.
   */
  public synchronized void start(ScheduledCall call) {
    runs.attach(call);
    for (FunctionState f : backend.list()) {
      try {
        set(f.deployment());
      } catch (InvalidInputException e) {
        LOG.warning("schedule: " + f.name() + " is not scheduled: " + e.getMessage());
      }
    }
  }

  @PreDestroy
  void stop() {
    byFunction.keySet().forEach(this::cancelTimers);
  }

  /**
   * Sets the function's timers from its deployment's annotations, replacing any it had; none when
   * it has no schedule.
   *
   * @throws InvalidInputException when the schedule cannot be parsed (nothing is changed then)
   */
  public synchronized void set(FunctionDeployment d) {
    Optional<CronSchedule> schedule = ScheduleAnnotations.of(d);
    String name = d.service();
    cancelTimers(name);
    if (schedule.isEmpty()) {
      metrics.forget(name);
      return;
    }
    metrics.track(name);
    // a timer's info is its function and a token of this setting, so that a firing of a timer
    // replaced meanwhile is recognised
    String token = name + " " + (++made);
    List<Timer> created = new ArrayList<>();
    for (ScheduleExpression e : schedule.get().calendars(settings.timeZone())) {
      created.add(timers.createCalendarTimer(e, new TimerConfig(token, false)));
    }
    byFunction.put(name, List.copyOf(created));
    tokens.put(name, token);
    LOG.info(
        () ->
            "schedule: "
                + name
                + " on \""
                + schedule.get().text()
                + "\", next "
                + next(name).map(Instant::toString).orElse("never"));
  }

  /** Cancels the function's timers, if it has any. */
  public synchronized void cancel(String name) {
    cancelTimers(name);
    metrics.forget(name);
  }

  /** When the function's schedule fires next; empty when it has none (or no more firings). */
  public Optional<Instant> next(String name) {
    Instant first = null;
    for (Timer t : byFunction.getOrDefault(name, List.of())) {
      try {
        Instant at = t.getNextTimeout().toInstant();
        if (first == null || at.isBefore(first)) {
          first = at;
        }
      } catch (NoSuchObjectLocalException | NoMoreTimeoutsException | IllegalStateException e) {
        // cancelled meanwhile, or its calendar has no more dates
      }
    }
    return Optional.ofNullable(first);
  }

  @Timeout
  void fired(Timer timer) {
    String token = (String) timer.getInfo();
    String name = token.substring(0, token.indexOf(' '));
    if (!token.equals(tokens.get(name))) {
      return; // replaced or cancelled while this firing was under way
    }
    if (byFunction.getOrDefault(name, List.of()).size() > 1) {
      // both calendars of an either-day schedule fire on a day that matches both: run once
      long second = System.currentTimeMillis() / 1000;
      Long before = lastSecond.put(name, second);
      if (before != null && before == second) {
        return;
      }
    }
    runs.fire(name);
  }

  private void cancelTimers(String name) {
    List<Timer> old = byFunction.remove(name);
    tokens.remove(name);
    lastSecond.remove(name);
    if (old == null) {
      return;
    }
    for (Timer t : old) {
      try {
        t.cancel();
      } catch (NoSuchObjectLocalException | IllegalStateException e) {
        // already gone
      }
    }
  }
}
