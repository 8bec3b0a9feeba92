package dev.jakartafaas.watchdog;

import dev.jakartafaas.testing.Poll;
import dev.jakartafaas.testing.ProcFs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds processes in {@code /proc} by a unique argument (a sleep such as {@code sleep 3600.48213}),
 * so a test can tell whether something a function started is still running.
 */
final class Leftovers {

  private Leftovers() {}

  /** A sleep duration no other process on the machine uses, e.g. {@code 3600.48213}. */
  static String uniqueSleep() {
    return "3600." + (10000 + ThreadLocalRandom.current().nextInt(89999));
  }

  /** Live (non-zombie) processes whose command line holds {@code marker} as an argument. */
  static List<Long> pidsWithArgument(String marker) {
    return ProcFs.withArgument(marker).stream().map(ProcFs.Proc::pid).toList();
  }

  /** Waits (bounded) until no process holds {@code marker}. */
  static void awaitNone(String marker, Duration limit) throws Exception {
    Poll.tolerating(
        limit,
        "no process left with argument " + marker + " (still: " + pidsWithArgument(marker) + ")",
        () -> pidsWithArgument(marker).isEmpty());
  }

  /** Kills whatever holds {@code marker}: cleanup after a failed test. */
  static void kill(String marker) {
    for (long pid : pidsWithArgument(marker)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
