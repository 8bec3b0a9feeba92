package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
          continue;
        }
        try {
          String cmdline =
              new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8);
          if (List.of(cmdline.split("\0")).contains(marker) && !zombie(entry)) {
            pids.add(Long.parseLong(name));
          }
        } catch (IOException | RuntimeException e) {
          // The process ended while we looked.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot list /proc", e);
    }
    return pids;
  }

  private static boolean zombie(Path procEntry) throws IOException {
    String stat = Files.readString(procEntry.resolve("stat"), StandardCharsets.UTF_8);
    return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
  }

  /** Waits (bounded) until no process holds {@code marker}. */
  static void awaitNone(String marker, Duration limit) throws Exception {
    Await.until(
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
