package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process {@link NativeLauncher} started. Whoever calls {@link #waitFor()} waits in its own
 * thread ({@code waitid} without reaping, then {@code waitpid}); signals are sent only while the
 * child is not yet reaped, under the same lock, so its pid can never name another process.
 */
final class SpawnedProcess extends Process {

  private static final Cleaner CLEANER = Cleaner.create();
  private static final int BUFFER_BYTES = 64 * 1024;

  /** Per thread: the native buffer that reads and writes go through. Freed with the thread. */
  private static final ThreadLocal<MemorySegment> BUFFERS =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(BUFFER_BYTES, 16));

  private static final ThreadLocal<MemorySegment> SIGINFO =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Posix.SIGINFO_BYTES, 16));

  private final int pid;
  private final OutputStream stdin;
  private final InputStream stdout;
  private final Object lock = new Object();
  private volatile boolean reaped;
  private int exitCode;

  SpawnedProcess(int pid, int stdinFd, int stdoutFd) {
    this.pid = pid;
    this.stdin = new PipeOutput(stdinFd);
    this.stdout = stdoutFd < 0 ? InputStream.nullInputStream() : new PipeInput(stdoutFd);
  }

  @Override
  public OutputStream getOutputStream() {
    return stdin;
  }

  @Override
  public InputStream getInputStream() {
    return stdout;
  }

  @Override
  public InputStream getErrorStream() {
    return InputStream.nullInputStream();
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public ProcessHandle toHandle() {
    return ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException("process " + pid + " has exited"));
  }

  @Override
  public int waitFor() throws InterruptedException {
    while (!reaped) {
      MemorySegment info = SIGINFO.get();
      int result;
      try {
        result =
            (int)
                Posix.WAITID.invokeExact(
                    Posix.errnoState(), Posix.P_PID, pid, info, Posix.WEXITED | Posix.WNOWAIT);
      } catch (Throwable e) {
        throw Posix.unexpected(e);
      }
      if (result != 0) {
        int errno = Posix.errno();
        if (errno == Posix.EINTR) {
          continue;
        }
        if (errno != Posix.ECHILD || !reaped) {
          // no such child: it was reaped by someone else; nothing can tell its exit code
          throw new IllegalStateException(Posix.failure("waitid", errno).getMessage());
        }
        break;
      }
      reap(0);
    }
    return exitCode;
  }

  @Override
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (isAlive()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)));
    }
    return true;
  }

  @Override
  public int exitValue() {
    if (isAlive()) {
      throw new IllegalThreadStateException("process " + pid + " has not exited");
    }
    return exitCode;
  }

  @Override
  public boolean isAlive() {
    return !reaped && !reap(Posix.WNOHANG);
  }

  /** Reaps the child if it has exited (blocking unless {@code WNOHANG}); true once reaped. */
  private boolean reap(int options) {
    synchronized (lock) {
      if (reaped) {
        return true;
      }
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
        int result;
        do {
          result = (int) Posix.WAITPID.invokeExact(Posix.errnoState(), pid, status, options);
        } while (result < 0 && Posix.errno() == Posix.EINTR);
        if (result < 0) {
          throw new IllegalStateException(Posix.failure("waitpid", Posix.errno()).getMessage());
        }
        if (result == 0) {
          return false;
        }
        int raw = status.get(ValueLayout.JAVA_INT, 0);
        int signal = raw & 0x7f;
        // as the JDK reports it: the exit status, or 128 + the signal that ended the process
        exitCode = signal == 0 ? (raw >> 8) & 0xff : 0x80 + signal;
        reaped = true;
        return true;
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw Posix.unexpected(e);
      }
    }
  }

  @Override
  public void destroy() {
    signal(Posix.SIGTERM);
  }

  @Override
  public Process destroyForcibly() {
    signal(Posix.SIGKILL);
    return this;
  }

  @Override
  public boolean supportsNormalTermination() {
    return true;
  }

  private void signal(int signal) {
    synchronized (lock) {
      if (reaped) {
        return;
      }
      int result;
      try {
        result = (int) Posix.KILL.invokeExact(Posix.errnoState(), pid, signal);
      } catch (Throwable e) {
        throw Posix.unexpected(e);
      }
      if (result != 0 && Posix.errno() != Posix.ESRCH) {
        throw new IllegalStateException(Posix.failure("kill", Posix.errno()).getMessage());
      }
    }
  }

  @Override
  public String toString() {
    return "SpawnedProcess[pid=" + pid + (reaped ? ", exitValue=" + exitCode : "") + "]";
  }

  /** A pipe end: closed once, by {@code close()} or, if that never comes, when unreachable. */
  private static final class Descriptor implements Runnable {
    private final AtomicInteger fd;

    Descriptor(int fd) {
      this.fd = new AtomicInteger(fd);
    }

    int get() throws IOException {
      int value = fd.get();
      if (value < 0) {
        throw new IOException("Stream closed");
      }
      return value;
    }

    @Override
    public void run() {
      int value = fd.getAndSet(-1);
      if (value >= 0) {
        NativeLauncher.closeQuietly(value);
      }
    }
  }

  private static final class PipeInput extends InputStream {
    private final Descriptor fd;
    private final Cleaner.Cleanable cleanable;

    PipeInput(int fd) {
      this.fd = new Descriptor(fd);
      this.cleanable = CLEANER.register(this, this.fd);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      MemorySegment buffer = BUFFERS.get();
      int want = Math.min(len, BUFFER_BYTES);
      long n;
      try {
        do {
          n = (long) Posix.READ.invokeExact(Posix.errnoState(), fd.get(), buffer, (long) want);
        } while (n < 0 && Posix.errno() == Posix.EINTR);
      } catch (IOException e) {
        throw e;
      } catch (Throwable e) {
        throw Posix.unexpected(e);
      }
      if (n < 0) {
        throw Posix.failure("read", Posix.errno());
      }
      if (n == 0) {
        return -1;
      }
      MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
      return (int) n;
    }

    @Override
    public void close() {
      cleanable.clean();
    }
  }

  private static final class PipeOutput extends OutputStream {
    private final Descriptor fd;
    private final Cleaner.Cleanable cleanable;

    PipeOutput(int fd) {
      this.fd = new Descriptor(fd);
      this.cleanable = CLEANER.register(this, this.fd);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      MemorySegment buffer = BUFFERS.get();
      while (len > 0) {
        int chunk = Math.min(len, BUFFER_BYTES);
        MemorySegment.copy(b, off, buffer, ValueLayout.JAVA_BYTE, 0, chunk);
        long written = 0;
        while (written < chunk) {
          long n;
          try {
            n =
                (long)
                    Posix.WRITE.invokeExact(
                        Posix.errnoState(),
                        fd.get(),
                        buffer.asSlice(written),
                        (long) (chunk - written));
          } catch (IOException e) {
            throw e;
          } catch (Throwable e) {
            throw Posix.unexpected(e);
          }
          if (n < 0) {
            int errno = Posix.errno();
            if (errno == Posix.EINTR) {
              continue;
            }
            throw Posix.failure("write", errno);
          }
          written += n;
        }
        off += chunk;
        len -= chunk;
      }
    }

    @Override
    public void close() {
      cleanable.clean();
    }
  }
}
