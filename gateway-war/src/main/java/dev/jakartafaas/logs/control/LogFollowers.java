package dev.jakartafaas.logs.control;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.LogFollow;
import dev.jakartafaas.metrics.control.LogMetrics;
import dev.jakartafaas.problems.entity.TooManyFollowersException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every client following a log ({@code /system/logs?follow=true}): the request is suspended, the
 * backend hands new lines to its {@link LogFollower}, and one pump thread writes them all and the
 * heartbeats that find clients gone. Followers therefore cost memory, not threads.
 */
@ApplicationScoped
public class LogFollowers {

  @Inject LogsSettings settings;
  @Inject Backend backend;
  @Inject LogMetrics metrics;

  @Resource ManagedThreadFactory threadFactory;

  private final Set<LogFollower> followers = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService pump;

  @PostConstruct
  void start() {
    pump =
        threadFactory == null
            ? Executors.newSingleThreadScheduledExecutor()
            : Executors.newSingleThreadScheduledExecutor(threadFactory);
    long every = Math.max(50, settings.heartbeat().toMillis() / 2);
    pump.scheduleWithFixedDelay(this::heartbeats, every, every, TimeUnit.MILLISECONDS);
    metrics.followers(followers::size);
  }

  @PreDestroy
  void stop() {
    for (LogFollower f : new ArrayList<>(followers)) {
      f.end("the gateway is stopping");
    }
    pump.shutdown();
    try {
      pump.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pump.shutdownNow();
    for (LogFollower f : new ArrayList<>(followers)) {
      f.release();
    }
  }

  /**
   * Answers the request with the function's log as {@link LogQuery} asks and then every new line,
   * until the client goes away or the function is removed.
   *
   * @throws TooManyFollowersException beyond {@code faas.logs.max-followers}
   */
  public void follow(String name, LogQuery query, HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    if (followers.size() >= settings.maxFollowers()) {
      throw new TooManyFollowersException(
          "too many clients follow logs ("
              + settings.maxFollowers()
              + ", faas.logs.max-followers); try again later");
    }
    LogFollower follower = new LogFollower(name, settings.followerBytes(), pump, followers::remove);
    followers.add(follower);
    LogFollow follow;
    try {
      follow = backend.followLogs(name, query.tail(), query.since(), follower);
    } catch (RuntimeException e) {
      followers.remove(follower);
      throw e;
    }
    try {
      resp.setStatus(200);
      resp.setContentType(LogQuery.NDJSON);
      resp.setHeader("Cache-Control", "no-cache");
      AsyncContext context = req.startAsync();
      context.setTimeout(0);
      follower.attach(context, follow);
    } catch (IOException | RuntimeException e) {
      follower.release();
      throw e;
    }
  }

  /** Clients following now. */
  public int count() {
    return followers.size();
  }

  private void heartbeats() {
    long now = System.nanoTime();
    long interval = settings.heartbeat().toNanos();
    for (LogFollower f : followers) {
      f.heartbeat(now, interval);
    }
  }
}
