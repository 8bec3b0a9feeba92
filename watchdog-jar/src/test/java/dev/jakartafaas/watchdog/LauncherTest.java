package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher that starts function processes: the one this run expects is the one in use (the
 * build runs these tests once per launcher), and both give a function the same start.
 */
class LauncherTest {

  /** Set by the build for each run of the tests: {@code jdk} or {@code posix_spawn}. */
  private static final String EXPECTED = System.getProperty("watchdog.launcher", "jdk");

  @TempDir Path dir;

  @RegisterExtension final TestWatchdogs watchdogs = new TestWatchdogs();

  @Test
  void theLauncherInUseIsTheOneThisRunOfTheTestsIsFor() throws Exception {
    assertEquals(EXPECTED, watchdogs.start(dir, "fprocess", "cat").launcher());
  }

  @Test
  void aFunctionGetsOnlyItsStandardDescriptorsNoneOfTheWatchdogs() throws Exception {
    // ls lists the descriptors it has: 0, 1, 2 and the one it reads the directory with
    LocalWatchdog watchdog = watchdogs.start(dir, "fprocess", "ls /proc/self/fd");

    HttpResponse<String> response = watchdog.post("/", "");

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("0\n1\n2\n3\n", response.body());
  }

  @Test
  void aProgramThatVanishedAfterTheStartIs502NamingIt() throws Exception {
    Path program = dir.resolve("gone.sh");
    Files.writeString(program, "#!/bin/sh\necho never\n");
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
    LocalWatchdog watchdog = watchdogs.start(dir, "fprocess", program.toString());
    Files.delete(program);

    HttpResponse<String> response = watchdog.post("/", "x");

    if ("jdk".equals(watchdog.launcher())
        && watchdog.strategy() == ProcessReaper.Strategy.SESSION_PER_CALL) {
      // the JDK starts setsid, which starts the program: setsid's own failure is the answer
      assertEquals(500, response.statusCode());
      assertEquals("127", response.headers().firstValue("X-Exit-Code").orElse(""));
    } else {
      assertEquals(502, response.statusCode());
      assertEquals("true", response.headers().firstValue("X-Faas-Internal").orElse(""));
      assertTrue(response.body().contains("Cannot start fprocess"), response.body());
    }
    assertTrue(response.body().contains(program.toString()), response.body());
  }

  @Test
  void theExitStatusOfAKilledFunctionIs128PlusItsSignal() throws Exception {
    LocalWatchdog watchdog =
        watchdogs.start(dir, "fprocess", TestWatchdogs.script(dir, "kill -KILL $$"));

    HttpResponse<String> response = watchdog.post("/", "");

    assertEquals(500, response.statusCode());
    assertEquals("137", response.headers().firstValue("X-Exit-Code").orElse(""));
  }

  @Test
  void launcherNativeStartsOnlyWherePosixSpawnCanBeCalled() throws Exception {
    if ("posix_spawn".equals(EXPECTED)) {
      assertEquals(
          "posix_spawn", watchdogs.start(dir, "fprocess", "cat", "launcher", "native").launcher());
    } else {
      WatchdogConfig.InvalidConfigException e =
          assertThrows(
              WatchdogConfig.InvalidConfigException.class,
              () -> watchdogs.start(dir, "fprocess", "cat", "launcher", "native"));
      assertTrue(e.getMessage().startsWith("launcher=native needs Java 22"), e.getMessage());
    }
    assertEquals("jdk", watchdogs.start(dir, "fprocess", "cat", "launcher", "jdk").launcher());
  }

  @Test
  void anUnknownLauncherStopsTheStartNamingTheVariable() {
    WatchdogConfig.InvalidConfigException e =
        assertThrows(
            WatchdogConfig.InvalidConfigException.class,
            () -> WatchdogConfig.from(Map.of("fprocess", "cat", "launcher", "fast")));
    assertEquals(
        "launcher=fast is not supported: use auto (default), jdk or native", e.getMessage());
  }

  @Test
  void theSameBodyComesBackWhateverItsSize() throws IOException, InterruptedException {
    LocalWatchdog watchdog = watchdogs.start(dir, "fprocess", "cat");
    for (int size : new int[] {0, 1, 16 * 1024, 16 * 1024 + 1, 65_536 * 3 + 7}) {
      String body = "x".repeat(size);
      HttpResponse<String> response = watchdog.post("/", body);
      assertEquals(200, response.statusCode());
      assertEquals(body, response.body(), "size " + size);
    }
  }
}
