package dev.jakartafaas.watchdog;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Map;

/**
 * The C library calls the watchdog makes itself on Java 22+, through the FFM API: glibc on Linux
 * x86_64 or aarch64. Each call that sets {@code errno} captures it; a failure becomes a {@link
 * NativeCallException} naming the call, never a crash.
 */
final class Posix {

  // sizes of glibc's opaque types, rounded up (posix_spawnattr_t is 336 bytes, sigset_t 128,
  // posix_spawn_file_actions_t 80, siginfo_t 128 on both architectures)
  static final long SPAWNATTR_BYTES = 512;
  static final long FILE_ACTIONS_BYTES = 128;
  static final long SIGSET_BYTES = 128;
  static final long SIGINFO_BYTES = 128;
  static final long SIGINFO_PID_OFFSET = 16;

  static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  static final short POSIX_SPAWN_SETSID = 0x80;
  static final int O_CLOEXEC = 0x80000;
  static final int P_PID = 1;
  static final int WNOHANG = 1;
  static final int WEXITED = 4;
  static final int WNOWAIT = 0x01000000;
  static final int SIGKILL = 9;
  static final int SIGPIPE = 13;
  static final int SIGTERM = 15;
  static final int EINTR = 4;
  static final int ECHILD = 10;
  static final int ESRCH = 3;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
  private static final ValueLayout PTR = ValueLayout.ADDRESS;

  static final MethodHandle POSIX_SPAWN =
      function("posix_spawn", FunctionDescriptor.of(INT, PTR, PTR, PTR, PTR, PTR, PTR), false);
  static final MethodHandle FILE_ACTIONS_INIT =
      function("posix_spawn_file_actions_init", FunctionDescriptor.of(INT, PTR), false);
  static final MethodHandle FILE_ACTIONS_DESTROY =
      function("posix_spawn_file_actions_destroy", FunctionDescriptor.of(INT, PTR), false);
  static final MethodHandle FILE_ACTIONS_ADDDUP2 =
      function(
          "posix_spawn_file_actions_adddup2", FunctionDescriptor.of(INT, PTR, INT, INT), false);
  static final MethodHandle FILE_ACTIONS_ADDCLOSEFROM =
      function(
          "posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(INT, PTR, INT), false);
  static final MethodHandle SPAWNATTR_INIT =
      function("posix_spawnattr_init", FunctionDescriptor.of(INT, PTR), false);
  static final MethodHandle SPAWNATTR_DESTROY =
      function("posix_spawnattr_destroy", FunctionDescriptor.of(INT, PTR), false);
  static final MethodHandle SPAWNATTR_SETFLAGS =
      function("posix_spawnattr_setflags", FunctionDescriptor.of(INT, PTR, SHORT), false);
  static final MethodHandle SPAWNATTR_SETSIGMASK =
      function("posix_spawnattr_setsigmask", FunctionDescriptor.of(INT, PTR, PTR), false);
  static final MethodHandle SPAWNATTR_SETSIGDEFAULT =
      function("posix_spawnattr_setsigdefault", FunctionDescriptor.of(INT, PTR, PTR), false);
  static final MethodHandle SIGEMPTYSET =
      function("sigemptyset", FunctionDescriptor.of(INT, PTR), false);
  static final MethodHandle SIGADDSET =
      function("sigaddset", FunctionDescriptor.of(INT, PTR, INT), false);
  static final MethodHandle PIPE2 = function("pipe2", FunctionDescriptor.of(INT, PTR, INT), true);
  static final MethodHandle READ =
      function("read", FunctionDescriptor.of(LONG, INT, PTR, LONG), true);
  static final MethodHandle WRITE =
      function("write", FunctionDescriptor.of(LONG, INT, PTR, LONG), true);
  static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(INT, INT), true);
  static final MethodHandle KILL = function("kill", FunctionDescriptor.of(INT, INT, INT), true);
  static final MethodHandle WAITID =
      function("waitid", FunctionDescriptor.of(INT, INT, INT, PTR, INT), true);
  static final MethodHandle WAITPID =
      function("waitpid", FunctionDescriptor.of(INT, INT, PTR, INT), true);
  private static final MethodHandle STRERROR =
      function("strerror", FunctionDescriptor.of(PTR, INT), false);

  /** The errno names a reader knows; others are given by number. */
  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(1, "EPERM"),
          Map.entry(2, "ENOENT"),
          Map.entry(3, "ESRCH"),
          Map.entry(4, "EINTR"),
          Map.entry(5, "EIO"),
          Map.entry(7, "E2BIG"),
          Map.entry(8, "ENOEXEC"),
          Map.entry(9, "EBADF"),
          Map.entry(10, "ECHILD"),
          Map.entry(11, "EAGAIN"),
          Map.entry(12, "ENOMEM"),
          Map.entry(13, "EACCES"),
          Map.entry(14, "EFAULT"),
          Map.entry(20, "ENOTDIR"),
          Map.entry(21, "EISDIR"),
          Map.entry(22, "EINVAL"),
          Map.entry(23, "ENFILE"),
          Map.entry(24, "EMFILE"),
          Map.entry(26, "ETXTBSY"),
          Map.entry(32, "EPIPE"),
          Map.entry(36, "ENAMETOOLONG"),
          Map.entry(38, "ENOSYS"),
          Map.entry(40, "ELOOP"));

  /** Per thread: where calls leave errno. Freed with the thread. */
  private static final ThreadLocal<MemorySegment> ERRNO_STATE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

  private Posix() {}

  private static MethodHandle function(String name, FunctionDescriptor descriptor, boolean errno) {
    MemorySegment symbol =
        LIBC.find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
    return errno
        ? LINKER.downcallHandle(symbol, descriptor, ERRNO_OPTION)
        : LINKER.downcallHandle(symbol, descriptor);
  }

  /** The segment to pass first to a call made with errno capture. */
  static MemorySegment errnoState() {
    return ERRNO_STATE.get();
  }

  /** The errno the last captured call of this thread left. */
  static int errno() {
    return (int) ERRNO.get(ERRNO_STATE.get(), 0L);
  }

  static NativeCallException failure(String call, int errno) {
    return new NativeCallException(call, errno, name(errno), describe(errno));
  }

  static String name(int errno) {
    return NAMES.getOrDefault(errno, "errno " + errno);
  }

  static String describe(int errno) {
    try {
      MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
      return text.reinterpret(256).getString(0);
    } catch (Throwable e) {
      return "errno " + errno;
    }
  }

  /** Rethrows what a downcall threw; a method handle's checked Throwable is never expected. */
  static RuntimeException unexpected(Throwable e) {
    if (e instanceof RuntimeException runtime) {
      return runtime;
    }
    if (e instanceof Error error) {
      throw error;
    }
    return new IllegalStateException(e);
  }
}
