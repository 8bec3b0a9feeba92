package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts function processes with glibc's {@code posix_spawn}: STDIN and STDOUT are {@code
 * O_CLOEXEC} pipes duplicated onto 0 and 1, every other descriptor is closed in the child by one
 * {@code close_range} ({@code posix_spawn_file_actions_addclosefrom_np}), the session comes from
 * {@code POSIX_SPAWN_SETSID}, and the caller's own thread waits for the exit ({@link
 * SpawnedProcess}).
 */
final class NativeLauncher implements Launcher {

  /** The C functions without which this launcher cannot work. */
  private static final List<String> NEEDED =
      List.of("posix_spawn", "posix_spawn_file_actions_addclosefrom_np", "pipe2", "waitid");

  private static final AtomicBoolean LINKING = new AtomicBoolean();

  /** Why linking the downcalls failed, once it did; null while it has not. */
  private static volatile Throwable linkFailure;

  /**
   * Why {@code posix_spawn} cannot be called from this JVM, or null when it can. Only looks the
   * functions up: linking their downcalls ({@link Posix}) takes tens of milliseconds, which the
   * constructor moves off the start.
   */
  static String unavailable() {
    if (!"Linux".equals(System.getProperty("os.name"))) {
      return "not Linux";
    }
    try {
      SymbolLookup libc = Linker.nativeLinker().defaultLookup();
      for (String name : NEEDED) {
        if (libc.find(name).isEmpty()) {
          return "no " + name + " in the C library";
        }
      }
      return null;
    } catch (LinkageError | RuntimeException e) {
      return e.toString();
    }
  }

  /** Links the downcalls in the background, once: a replica answers its health check meanwhile. */
  NativeLauncher() {
    if (LINKING.compareAndSet(false, true)) {
      Thread linker =
          new Thread(
              () -> {
                try {
                  Posix.errnoState();
                } catch (Throwable e) {
                  linkFailure = e;
                }
              },
              "watchdog-posix-link");
      linker.setDaemon(true);
      linker.start();
    }
  }

  @Override
  public Process start(Launch launch, boolean newSession) throws IOException {
    if (linkFailure != null) {
      throw new IOException("posix_spawn cannot be called here: " + linkFailure);
    }
    try {
      return spawnProcess(launch, newSession); // waits for the linking if it is still under way
    } catch (LinkageError e) {
      throw new IOException("posix_spawn cannot be called here: " + e, e);
    }
  }

  private Process spawnProcess(Launch launch, boolean newSession) throws IOException {
    List<String> command = launch.command();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment stdin = pipe(arena);
      int stdinRead = stdin.getAtIndex(ValueLayout.JAVA_INT, 0);
      int stdinWrite = stdin.getAtIndex(ValueLayout.JAVA_INT, 1);
      int stdoutRead = -1;
      int stdoutWrite = -1;
      if (launch.pipeStdout()) {
        MemorySegment stdout;
        try {
          stdout = pipe(arena);
        } catch (IOException e) {
          closeQuietly(stdinRead);
          closeQuietly(stdinWrite);
          throw e;
        }
        stdoutRead = stdout.getAtIndex(ValueLayout.JAVA_INT, 0);
        stdoutWrite = stdout.getAtIndex(ValueLayout.JAVA_INT, 1);
      }
      int pid;
      try {
        pid =
            spawn(
                arena,
                command,
                launch.environment(),
                stdinRead,
                stdoutWrite,
                launch.mergeStderr(),
                newSession);
      } catch (IOException | RuntimeException e) {
        closeQuietly(stdinWrite);
        closeQuietly(stdoutRead);
        throw e;
      } finally {
        closeQuietly(stdinRead);
        closeQuietly(stdoutWrite);
      }
      return new SpawnedProcess(pid, stdinWrite, stdoutRead);
    }
  }

  private static MemorySegment pipe(Arena arena) throws IOException {
    MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
    int result;
    try {
      result = (int) Posix.PIPE2.invokeExact(Posix.errnoState(), fds, Posix.O_CLOEXEC);
    } catch (Throwable e) {
      throw Posix.unexpected(e);
    }
    if (result != 0) {
      throw Posix.failure("pipe2", Posix.errno());
    }
    return fds;
  }

  private static int spawn(
      Arena arena,
      List<String> command,
      Map<String, String> environment,
      int stdin,
      int stdout,
      boolean mergeStderr,
      boolean newSession)
      throws IOException {
    MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, command.size() + 1L);
    for (int i = 0; i < command.size(); i++) {
      argv.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(command.get(i)));
    }
    argv.setAtIndex(ValueLayout.ADDRESS, command.size(), MemorySegment.NULL);
    MemorySegment envp = arena.allocate(ValueLayout.ADDRESS, environment.size() + 1L);
    int n = 0;
    for (Map.Entry<String, String> e : environment.entrySet()) {
      envp.setAtIndex(
          ValueLayout.ADDRESS, n++, arena.allocateFrom(e.getKey() + "=" + e.getValue()));
    }
    envp.setAtIndex(ValueLayout.ADDRESS, n, MemorySegment.NULL);

    MemorySegment actions = arena.allocate(Posix.FILE_ACTIONS_BYTES, 16);
    MemorySegment attributes = arena.allocate(Posix.SPAWNATTR_BYTES, 16);
    MemorySegment signals = arena.allocate(Posix.SIGSET_BYTES, 16);
    MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
    try {
      check("posix_spawn_file_actions_init", (int) Posix.FILE_ACTIONS_INIT.invokeExact(actions));
      try {
        check("posix_spawnattr_init", (int) Posix.SPAWNATTR_INIT.invokeExact(attributes));
        try {
          check(
              "posix_spawn_file_actions_adddup2",
              (int) Posix.FILE_ACTIONS_ADDDUP2.invokeExact(actions, stdin, 0));
          if (stdout >= 0) {
            check(
                "posix_spawn_file_actions_adddup2",
                (int) Posix.FILE_ACTIONS_ADDDUP2.invokeExact(actions, stdout, 1));
          }
          if (mergeStderr) {
            // onto whatever 1 is by then: the pipe, or the watchdog's own STDOUT
            check(
                "posix_spawn_file_actions_adddup2",
                (int) Posix.FILE_ACTIONS_ADDDUP2.invokeExact(actions, 1, 2));
          }
          // the JVM opens its descriptors without O_CLOEXEC: none of them reaches the function
          check(
              "posix_spawn_file_actions_addclosefrom_np",
              (int) Posix.FILE_ACTIONS_ADDCLOSEFROM.invokeExact(actions, 3));
          short flags = (short) (Posix.POSIX_SPAWN_SETSIGMASK | Posix.POSIX_SPAWN_SETSIGDEF);
          if (newSession) {
            flags |= Posix.POSIX_SPAWN_SETSID;
          }
          check(
              "posix_spawnattr_setflags",
              (int) Posix.SPAWNATTR_SETFLAGS.invokeExact(attributes, flags));
          check("sigemptyset", (int) Posix.SIGEMPTYSET.invokeExact(signals));
          check(
              "posix_spawnattr_setsigmask",
              (int) Posix.SPAWNATTR_SETSIGMASK.invokeExact(attributes, signals));
          check("sigaddset", (int) Posix.SIGADDSET.invokeExact(signals, Posix.SIGPIPE));
          check(
              "posix_spawnattr_setsigdefault",
              (int) Posix.SPAWNATTR_SETSIGDEFAULT.invokeExact(attributes, signals));
          MemorySegment path = argv.getAtIndex(ValueLayout.ADDRESS, 0);
          int result =
              (int) Posix.POSIX_SPAWN.invokeExact(pid, path, actions, attributes, argv, envp);
          if (result != 0) {
            // what execve said of the program: the same answer as the JDK's launcher gives
            throw new IOException(
                "Cannot run program \""
                    + command.get(0)
                    + "\": posix_spawn failed: "
                    + Posix.name(result)
                    + " ("
                    + Posix.describe(result)
                    + ")");
          }
          return pid.get(ValueLayout.JAVA_INT, 0);
        } finally {
          int ignored = (int) Posix.SPAWNATTR_DESTROY.invokeExact(attributes);
        }
      } finally {
        int ignored = (int) Posix.FILE_ACTIONS_DESTROY.invokeExact(actions);
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw Posix.unexpected(e);
    }
  }

  /** The posix_spawn family returns the error number instead of setting errno. */
  private static void check(String call, int result) throws NativeCallException {
    if (result != 0) {
      throw Posix.failure(call, result);
    }
  }

  static void closeQuietly(int fd) {
    if (fd < 0) {
      return;
    }
    try {
      int ignored = (int) Posix.CLOSE.invokeExact(Posix.errnoState(), fd);
    } catch (Throwable e) {
      // nothing to do: the descriptor is gone either way
    }
  }

  @Override
  public boolean startsSessions() {
    return true;
  }

  @Override
  public String name() {
    return "posix_spawn";
  }
}
