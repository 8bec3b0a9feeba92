package dev.jakartafaas.schedule.control;

import dev.jakartafaas.metrics.control.ScheduleMetrics;
import dev.jakartafaas.problems.entity.FaasException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the firings of schedules on {@code faas.schedule.workers} container-managed threads, at most
 * one run (queued or going) per function: a firing while one is still going is skipped and counted,
 * never piled up, so the queue holds at most one entry per scheduled function.
 */
@ApplicationScoped
public class ScheduledRuns {

  private static final Logger LOG = Logger.getLogger(ScheduledRuns.class.getName());

  @Inject ScheduleMetrics metrics;

  @Inject ScheduleSettings settings;

  @Resource ManagedThreadFactory threadFactory;

  private ThreadPoolExecutor pool;
  private volatile ScheduledCall call;
  private final Set<String> going = ConcurrentHashMap.newKeySet();

  @PostConstruct
  void start() {
    int workers = Math.max(1, settings.workers());
    pool =
        new ThreadPoolExecutor(
            workers, workers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threadFactory);
  }

  @PreDestroy
  void stop() {
    pool.shutdownNow();
  }

  /** The gateway's invocation path; firings before it is attached are skipped. */
  public void attach(ScheduledCall invocation) {
    this.call = invocation;
  }

  public boolean attached() {
    return call != null;
  }

  /** One firing of the function's schedule: run it unless its previous run is still going. */
  public void fire(String function) {
    if (call == null || !going.add(function)) {
      metrics.skipped(function);
      LOG.info(
          () ->
              "schedule: "
                  + function
                  + " skipped: "
                  + (call == null ? "the gateway is not started yet" : "its last run still goes"));
      return;
    }
    try {
      pool.execute(() -> run(function));
    } catch (RejectedExecutionException e) {
      going.remove(function); // stopping
    }
  }

  private void run(String function) {
    long start = System.nanoTime();
    int code;
    try {
      code = call.invoke(function);
    } catch (FaasException e) {
      code = e.status();
    } catch (Exception e) {
      LOG.log(Level.FINE, "schedule: " + function + " failed", e);
      code = 502;
    } finally {
      going.remove(function);
    }
    metrics.ran(function, code);
    long millis = (System.nanoTime() - start) / 1_000_000;
    int status = code;
    LOG.info(() -> "schedule: " + function + " ran: " + status + " in " + millis + " ms");
  }
}
