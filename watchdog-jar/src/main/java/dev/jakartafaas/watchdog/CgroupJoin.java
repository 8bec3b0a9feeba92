package dev.jakartafaas.watchdog;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * Puts each function process into the cgroup named by {@code cgroup_procs}, with no extra process.
 * On cgroup v1 (a {@code tasks} file next to it) the starting thread itself moves into that cgroup
 * for the start, so the process is born there; elsewhere its pid is written into the file right
 * after it starts (a process that forks at once leaves children behind). Whoever runs the watchdog
 * owns the cgroup and its limits.
 */
final class CgroupJoin {

  private static final Logger LOG = Logger.getLogger(CgroupJoin.class.getName());
  private static final ThreadLocal<byte[]> DIGITS = ThreadLocal.withInitial(() -> new byte[21]);
  private static final ThreadLocal<byte[]> LIST = ThreadLocal.withInitial(() -> new byte[4096]);
  private static final ThreadLocal<long[]> TID = ThreadLocal.withInitial(() -> new long[] {-1});

  /** Starts a process (the reaper's start, in production). */
  interface Starter {
    Process start() throws IOException;
  }

  /** The process could not be put into the cgroup; nothing of it is left running. */
  static final class JoinException extends IOException {
    JoinException(String message, IOException cause) {
      super(message, cause);
    }
  }

  private final String procs;
  private final String tasks;
  private final String homeTasks;
  private final java.util.Set<Long> spawning = java.util.concurrent.ConcurrentHashMap.newKeySet();

  CgroupJoin(Path procs, Path homeTasks) {
    this.procs = procs.toString();
    this.homeTasks = homeTasks == null ? null : homeTasks.toString();
    this.tasks = homeTasks == null ? null : procs.resolveSibling("tasks").toString();
  }

  /** Nothing to join when {@code cgroup_procs} is unset. */
  static CgroupJoin of(Path procs) {
    if (procs == null) {
      return null;
    }
    Path home = null;
    if (Files.exists(procs.resolveSibling("tasks"))) {
      try {
        home =
            homeTasks(
                procs.toAbsolutePath(),
                Files.readString(Path.of("/proc/self/mountinfo")),
                Files.readString(Path.of("/proc/self/cgroup")));
      } catch (IOException | RuntimeException e) {
        home = null;
      }
      if (home == null || !Files.exists(home)) {
        LOG.warning(
            "cgroup_procs: cannot find this process's own cgroup next to "
                + procs
                + "; moving each process after its start instead");
        home = null;
      }
    }
    return new CgroupJoin(procs, home);
  }

  /** Whether processes are born in the cgroup (v1) rather than moved after their start. */
  boolean bornInside() {
    return tasks != null;
  }

  /**
   * The {@code tasks} file of this process's own cgroup in the v1 hierarchy that holds {@code
   * procs}, from the texts of {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}; null if
   * not found.
   */
  static Path homeTasks(Path procs, String mountinfo, String selfCgroup) {
    String mountPoint = null;
    String root = null;
    List<String> options = null;
    for (String line : mountinfo.split("\n")) {
      String[] f = line.trim().split(" ");
      int dash = List.of(f).indexOf("-");
      if (dash < 6 || f.length < dash + 4 || !f[dash + 1].equals("cgroup")) {
        continue;
      }
      String point = f[4];
      if (procs.startsWith(Path.of(point))
          && (mountPoint == null || point.length() > mountPoint.length())) {
        mountPoint = point;
        root = f[3];
        options = List.of(f[dash + 3].split(","));
      }
    }
    if (mountPoint == null) {
      return null;
    }
    for (String line : selfCgroup.split("\n")) {
      String[] parts = line.split(":", 3);
      if (parts.length < 3 || parts[1].isEmpty()) {
        continue;
      }
      if (options.containsAll(List.of(parts[1].split(",")))) {
        String own = parts[2].trim();
        if (!root.equals("/")) {
          if (!own.startsWith(root)) {
            return null;
          }
          own = own.substring(root.length());
        }
        String rel = own.replaceAll("^/+", "");
        Path dir = rel.isEmpty() ? Path.of(mountPoint) : Path.of(mountPoint, rel);
        return dir.resolve("tasks");
      }
    }
    return null;
  }

  /**
   * Starts a process in the cgroup. On v1 the calling thread joins the cgroup for the start and
   * goes back after it (with any thread of this JVM the start created there); otherwise the pid is
   * written after the start, and on failure the process is killed with {@code kill}.
   *
   * @throws JoinException if the process could not be put there (none is left running)
   * @throws IOException if the start itself failed
   */
  Process start(Starter starter, java.util.function.Consumer<Process> kill) throws IOException {
    if (tasks == null) {
      Process process = starter.start();
      try {
        join(process.pid());
      } catch (IOException e) {
        if (!gone(e, process)) {
          kill.accept(process);
          throw new JoinException("cannot write pid " + process.pid() + " into " + procs, e);
        }
      }
      return process;
    }
    long tid = tid();
    // another thread's returnHome must not take this one out while it starts a process
    spawning.add(tid);
    try {
      try {
        write(tasks, tid);
      } catch (IOException e) {
        throw new JoinException("cannot write thread " + tid + " into " + tasks, e);
      }
      return starter.start();
    } finally {
      spawning.remove(tid);
      returnHome(tid);
    }
  }

  /** Moves the calling thread, and any thread of this JVM born in the cgroup, back home. */
  private void returnHome(long tid) {
    try {
      write(homeTasks, tid);
    } catch (IOException e) {
      LOG.warning("cgroup_procs: cannot move thread " + tid + " back to " + homeTasks + ": " + e);
    }
    // usually one tid (the function's own process): read without building strings
    byte[] buffer = LIST.get();
    int length = 0;
    try (FileInputStream in = new FileInputStream(tasks)) {
      for (int n;
          length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) > 0; ) {
        length += n;
      }
    } catch (IOException e) {
      return;
    }
    long id = -1;
    for (int i = 0; i < length; i++) {
      byte b = buffer[i];
      if (b >= '0' && b <= '9') {
        id = (id < 0 ? 0 : id * 10) + (b - '0');
      } else {
        bringBack(id);
        id = -1;
      }
    }
    bringBack(id);
  }

  /** Moves {@code tid} home if it is a thread of this JVM (not a function process). */
  private void bringBack(long tid) {
    if (tid > 0 && !spawning.contains(tid) && new File("/proc/self/task/" + tid).exists()) {
      try {
        write(homeTasks, tid);
      } catch (IOException e) {
        // a thread that ended meanwhile
      }
    }
  }

  private static long tid() throws IOException {
    long[] cached = TID.get();
    if (cached[0] < 0) {
      String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
      cached[0] = Long.parseLong(link.substring(link.lastIndexOf('/') + 1));
    }
    return cached[0];
  }

  Path file() {
    return Path.of(procs);
  }

  /**
   * Writes {@code pid} and a newline into the file (appending, so a plain file used in place of a
   * cgroup lists every process).
   *
   * @throws IOException if the file cannot be opened or the kernel refuses the move
   */
  void join(long pid) throws IOException {
    write(procs, pid);
  }

  private static void write(String file, long id) throws IOException {
    byte[] digits = DIGITS.get();
    int length = format(id, digits);
    try (FileOutputStream out = new FileOutputStream(file, true)) {
      out.write(digits, 0, length);
    }
  }

  /**
   * Whether a failed {@link #join} failed only because the process is already gone (the kernel
   * answers ESRCH for a process that exited, and one that ran briefly may exit before the write):
   * there is then nothing left to move.
   */
  static boolean gone(IOException e, Process process) {
    return "No such process".equals(e.getMessage()) || !process.isAlive();
  }

  /** The decimal digits of a non-negative {@code pid} and a newline, without allocating. */
  static int format(long pid, byte[] into) {
    int digits = 1;
    for (long rest = pid / 10; rest > 0; rest /= 10) {
      digits++;
    }
    long rest = pid;
    for (int i = digits - 1; i >= 0; i--) {
      into[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    into[digits] = '\n';
    return digits + 1;
  }
}
