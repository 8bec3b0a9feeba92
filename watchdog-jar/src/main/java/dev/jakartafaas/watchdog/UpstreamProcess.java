package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code mode=http}: the function's long-running process, its address and a pool of kept-alive
 * connections to it. The process is started once, marked ready when it accepts connections, and
 * started again (with backoff) whenever it dies.
 */
final class UpstreamProcess {

  private static final Logger LOG = Logger.getLogger(UpstreamProcess.class.getName());
  private static final long POLL_MILLIS = 20;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final WatchdogConfig config;
  private final List<String> command;
  private final ProcessReaper reaper;
  private final HealthHandler health;
  private final ScheduledExecutorService timers;
  private final CgroupJoin cgroup;
  private final UpstreamAddress address;
  private final boolean portChosenHere;
  private final ConcurrentLinkedDeque<UpstreamConnection> idle = new ConcurrentLinkedDeque<>();
  private volatile Process process;
  private volatile int generation;
  private volatile boolean stopping;
  private long backoffMillis = 100;

  UpstreamProcess(
      WatchdogConfig config,
      List<String> command,
      ProcessReaper reaper,
      HealthHandler health,
      ScheduledExecutorService timers)
      throws IOException {
    this.config = config;
    this.command = command;
    this.reaper = reaper;
    this.health = health;
    this.timers = timers;
    this.cgroup = CgroupJoin.of(config.cgroupProcs());
    if (config.upstreamUrl() != null) {
      this.address = UpstreamAddress.parse(config.upstreamUrl());
      this.portChosenHere = false;
    } else {
      this.address = new UpstreamAddress("127.0.0.1", freeLoopbackPort());
      this.portChosenHere = true;
    }
  }

  UpstreamAddress address() {
    return address;
  }

  synchronized void start() {
    if (stopping) {
      return;
    }
    Map<String, String> env = new HashMap<>(config.environment());
    if (portChosenHere) {
      env.put("PORT", Integer.toString(address.port()));
    }
    Launcher.Launch launch = new Launcher.Launch(command, env, false, false);
    try {
      Process started;
      try {
        started =
            cgroup == null
                ? reaper.start(launch)
                : cgroup.start(() -> reaper.start(launch), reaper::killTree);
      } catch (CgroupJoin.JoinException e) {
        // fail closed: an upstream outside its cgroup is not run; health stays 503
        LOG.warning("cgroup_procs: " + e.getMessage() + ": " + e.getCause() + "; not ready");
        scheduleRestart();
        return;
      }
      process = started;
      generation++;
      LOG.info("Started upstream " + String.join(" ", command) + " (pid " + started.pid() + ")");
      started.onExit().thenRun(() -> died(started));
      timers.schedule(() -> pollReady(started), POLL_MILLIS, TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      LOG.warning("Cannot start upstream: " + e.getMessage());
      scheduleRestart();
    }
  }

  private void pollReady(Process started) {
    if (stopping || started != process || !started.isAlive()) {
      return;
    }
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(address.host(), address.port()), 1_000);
      health.ready(true);
      backoffMillis = 100;
      LOG.info("Upstream ready on " + address.host() + ":" + address.port());
    } catch (IOException e) {
      timers.schedule(() -> pollReady(started), POLL_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void died(Process dead) {
    reaper.finished(dead);
    if (dead != process) {
      return;
    }
    health.ready(false);
    discardIdle();
    if (!stopping) {
      LOG.warning("Upstream exited with code " + dead.exitValue() + "; restarting");
      scheduleRestart();
    }
  }

  private synchronized void scheduleRestart() {
    long delay = backoffMillis;
    backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
    timers.schedule(this::start, delay, TimeUnit.MILLISECONDS);
  }

  /** A kept-alive connection if one is idle, else a new one. */
  UpstreamConnection acquire() throws IOException {
    int current = generation;
    UpstreamConnection connection;
    while ((connection = idle.pollFirst()) != null) {
      if (connection.generation() == current && connection.usable() && !connection.idleTooLong()) {
        return connection;
      }
      connection.close();
    }
    return UpstreamConnection.open(address, current);
  }

  void release(UpstreamConnection connection) {
    if (!stopping && connection.generation() == generation) {
      connection.markIdle();
      idle.addFirst(connection);
    } else {
      connection.close();
    }
  }

  private void discardIdle() {
    UpstreamConnection connection;
    while ((connection = idle.pollFirst()) != null) {
      connection.close();
    }
  }

  void stop() {
    stopping = true;
    discardIdle();
    Process current = process;
    if (current != null && current.isAlive()) {
      current.destroy();
      try {
        if (!current.waitFor(5, TimeUnit.SECONDS)) {
          reaper.killTree(current);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reaper.killTree(current);
      }
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
