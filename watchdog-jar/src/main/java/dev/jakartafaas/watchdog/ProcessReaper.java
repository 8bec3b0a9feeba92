package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;

/**
 * Makes sure nothing a function started outlives its request. The reaper finds leftovers in {@code
 * /proc}: when the watchdog leads its own process group (as in a container or under the process
 * backend), every member of that group that no longer descends from a running request is an orphan;
 * otherwise the launcher starts each call in a session of its own and the sessions of finished
 * calls are emptied. Orphans are killed within one sweep.
 */
final class ProcessReaper implements AutoCloseable {

  /** How leftovers are recognised. */
  enum Strategy {
    /** The watchdog leads its process group: orphans are members that lost their request. */
    OWN_GROUP,
    /** Each call gets a session of its own; finished sessions are emptied. */
    SESSION_PER_CALL,
    /** No {@code /proc}, or no way to start a session: only the direct child can be killed. */
    NONE
  }

  private static final Logger LOG = Logger.getLogger(ProcessReaper.class.getName());
  private static final Path PROC = Path.of("/proc");

  /** Sweeps run this often while calls are made, so leftovers live at most this long. */
  private static final long SWEEP_MILLIS = 100;

  private static final int MAX_ROUNDS = 20;

  /** A periodic sweep tries this many times, a millisecond apart, to find the spawn lock free. */
  private static final int LOCK_ATTEMPTS = 50;

  private final Strategy strategy;
  private final long selfPid;
  private final long selfGroup;
  private final Launcher launcher;
  private final ReentrantReadWriteLock spawnLock = new ReentrantReadWriteLock();
  private final Set<Long> live = ConcurrentHashMap.newKeySet();
  private final Set<Long> finishedGroups = ConcurrentHashMap.newKeySet();
  private final Semaphore wakeUp = new Semaphore(0);
  private final java.util.concurrent.atomic.AtomicLong calls =
      new java.util.concurrent.atomic.AtomicLong();
  private final Thread sweeper;
  private volatile boolean closed;

  private ProcessReaper(Strategy strategy, long selfPid, long selfGroup, Launcher launcher) {
    this.strategy = strategy;
    this.selfPid = selfPid;
    this.selfGroup = selfGroup;
    this.launcher = launcher;
    this.sweeper = new Thread(this::sweepLoop, "watchdog-reaper");
    sweeper.setDaemon(true);
    if (strategy != Strategy.NONE) {
      sweeper.start();
    }
  }

  /** Chooses the strategy this process can use with this launcher. */
  static ProcessReaper detect(Launcher launcher) {
    long pid = ProcessHandle.current().pid();
    ProcStat self = ProcStat.read(pid);
    if (self == null) {
      LOG.warning("No /proc: processes a function leaves behind cannot be found and killed");
      return new ProcessReaper(Strategy.NONE, pid, -1, launcher);
    }
    if (self.group() == pid) {
      if (pid == 1) {
        LOG.warning(
            "Running as PID 1: orphaned processes are killed but not reaped; run with an init"
                + " (docker --init, or Init in a swarm service) so zombies do not pile up");
      }
      return new ProcessReaper(Strategy.OWN_GROUP, pid, pid, launcher);
    }
    if (launcher.startsSessions()) {
      return new ProcessReaper(Strategy.SESSION_PER_CALL, pid, self.group(), launcher);
    }
    LOG.warning("No setsid and not a process group leader: background processes may outlive calls");
    return new ProcessReaper(Strategy.NONE, pid, self.group(), launcher);
  }

  Strategy strategy() {
    return strategy;
  }

  Launcher launcher() {
    return launcher;
  }

  /** Starts a function process so that everything it starts can be found again. */
  Process start(Launcher.Launch launch) throws IOException {
    // The sweeper must not see a fresh child before it is registered as live.
    spawnLock.readLock().lock();
    try {
      Process process = launcher.start(launch, strategy == Strategy.SESSION_PER_CALL);
      live.add(process.pid());
      calls.incrementAndGet();
      if (wakeUp.availablePermits() == 0) {
        wakeUp.release();
      }
      finishedGroups.remove(process.pid());
      return process;
    } finally {
      spawnLock.readLock().unlock();
    }
  }

  /**
   * The direct child has exited: whatever it left behind is killed by the next sweep. (A leftover
   * that still holds the call's STDOUT is found by the sweeps that run while the call waits.)
   */
  void finished(Process process) {
    live.remove(process.pid());
    if (strategy == Strategy.SESSION_PER_CALL) {
      finishedGroups.add(process.pid());
    }
  }

  /** Kills the process and everything it started, now. */
  void killTree(Process process) {
    live.remove(process.pid());
    if (strategy == Strategy.SESSION_PER_CALL) {
      finishedGroups.add(process.pid());
    }
    if (strategy == Strategy.NONE) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
    }
    process.destroyForcibly();
    sweep();
  }

  /** Kills orphans until none is left (bounded, for functions that fork without end). */
  int sweep() {
    return sweep(true);
  }

  /**
   * One sweep. The periodic one ({@code waitForSpawns} false) never queues for the spawn lock: a
   * queued writer would stop every new spawn until the spawns in progress end and the sweeper
   * thread is scheduled again, which under load is what the slowest calls waited for. It takes the
   * lock only when no spawn holds it, or leaves the round to the next sweep.
   */
  private synchronized int sweep(boolean waitForSpawns) {
    if (strategy == Strategy.NONE) {
      return 0;
    }
    int killed = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      List<Long> orphans = findOrphans(waitForSpawns);
      if (orphans == null || orphans.isEmpty()) {
        break;
      }
      for (long pid : orphans) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      killed += orphans.size();
    }
    return killed;
  }

  /** The orphans, or null when spawns kept the lock busy and {@code waitForSpawns} is false. */
  private List<Long> findOrphans(boolean waitForSpawns) {
    List<ProcStat> processes = scan();
    Lock lock = spawnLock.writeLock();
    if (waitForSpawns) {
      lock.lock();
    } else if (!lockBetweenSpawns(lock)) {
      return null;
    }
    try {
      if (strategy == Strategy.OWN_GROUP) {
        return orphansOfGroup(processes, selfPid, selfGroup, live);
      }
      // A call whose direct child has exited is over even while a leftover still holds its
      // STDOUT (`sleep 3600 & echo done`): empty its session now, or the call waits for it.
      finishedGroups.addAll(exitedLeaders(live, ProcStat::read));
      return orphansOfSessions(processes, finishedGroups);
    } finally {
      lock.unlock();
    }
  }

  /** Takes the lock at a moment no spawn holds it, trying for a while; false if there was none. */
  private static boolean lockBetweenSpawns(Lock lock) {
    for (int attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
      if (lock.tryLock()) {
        return true;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return false;
  }

  /** Members of our group whose ancestry no longer reaches a running request. */
  static List<Long> orphansOfGroup(
      List<ProcStat> processes, long selfPid, long selfGroup, Set<Long> live) {
    Map<Long, ProcStat> members = new HashMap<>();
    for (ProcStat p : processes) {
      if (p.group() == selfGroup && p.pid() != selfPid && !p.zombie()) {
        members.put(p.pid(), p);
      }
    }
    List<Long> orphans = new ArrayList<>();
    for (ProcStat member : members.values()) {
      ProcStat current = member;
      boolean keep = false;
      for (int depth = 0; depth < 4096; depth++) {
        if (current.parent() == selfPid) {
          keep = live.contains(current.pid());
          break;
        }
        ProcStat parent = members.get(current.parent());
        if (parent == null) {
          break;
        }
        current = parent;
      }
      if (!keep) {
        orphans.add(member.pid());
      }
    }
    return orphans;
  }

  /**
   * The session leaders (direct children started through {@code setsid}) among {@code live} that
   * have exited: gone from {@code /proc}, a zombie, or a reused pid that leads no session.
   */
  static List<Long> exitedLeaders(Set<Long> live, java.util.function.LongFunction<ProcStat> stat) {
    List<Long> exited = new ArrayList<>();
    for (long pid : live) {
      ProcStat leader = stat.apply(pid);
      if (leader == null || leader.zombie() || leader.group() != pid) {
        exited.add(pid);
      }
    }
    return exited;
  }

  /** Members of the sessions of finished calls; sessions found empty are forgotten. */
  static List<Long> orphansOfSessions(List<ProcStat> processes, Set<Long> finishedGroups) {
    Set<Long> occupied = new java.util.HashSet<>();
    List<Long> orphans = new ArrayList<>();
    for (ProcStat p : processes) {
      if (finishedGroups.contains(p.group()) && !p.zombie()) {
        orphans.add(p.pid());
        occupied.add(p.group());
      }
    }
    finishedGroups.retainAll(occupied);
    return orphans;
  }

  private static List<ProcStat> scan() {
    List<ProcStat> result = new ArrayList<>(256);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
          ProcStat stat = ProcStat.read(Long.parseLong(name));
          if (stat != null) {
            result.add(stat);
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      LOG.warning("Cannot list /proc: " + e.getMessage());
    }
    return result;
  }

  /** Sleeps while no call is made; while calls are made, sweeps every {@link #SWEEP_MILLIS}. */
  private void sweepLoop() {
    long seen = 0;
    while (!closed) {
      try {
        if (calls.get() == seen && live.isEmpty()) {
          wakeUp.acquire();
          wakeUp.drainPermits();
        }
        TimeUnit.MILLISECONDS.sleep(SWEEP_MILLIS);
        seen = calls.get();
        sweep(false);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warning("Sweep failed: " + e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    sweeper.interrupt();
  }

  /** The fields of {@code /proc/<pid>/stat} the reaper needs. */
  record ProcStat(long pid, long parent, long group, boolean zombie) {

    static ProcStat read(long pid) {
      try {
        return parse(
            pid,
            new String(Files.readAllBytes(PROC.resolve(pid + "/stat")), StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    /** The command name may hold spaces and parentheses: fields start after the last ')'. */
    static ProcStat parse(long pid, String stat) {
      int end = stat.lastIndexOf(')');
      String[] fields = stat.substring(end + 2).split(" ", 5);
      return new ProcStat(
          pid, Long.parseLong(fields[1]), Long.parseLong(fields[2]), "Z".equals(fields[0]));
    }
  }
}
