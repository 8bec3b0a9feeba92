package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Poll;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code cgroup_procs}: each function process's pid is written into the file right after it starts.
 * A plain temporary file stands in for {@code cgroup.procs}; a directory stands in for one that
 * cannot be written (even root cannot open a directory for writing).
 */
class CgroupJoinTest {

  private static final Duration LIMIT = Duration.ofSeconds(90);

  private static final String JAVA =
      ProcessHandle.current()
          .info()
          .command()
          .orElse(System.getProperty("java.home") + "/bin/java");

  @TempDir Path dir;

  @RegisterExtension final TestWatchdogs watchdogs = new TestWatchdogs();

  private LocalWatchdog watchdog(String... keysAndValues) throws IOException {
    return watchdogs.start(dir, keysAndValues);
  }

  /** Writes a shell script and returns the {@code fprocess} that runs it. */
  private String script(String body) throws IOException {
    return TestWatchdogs.script(dir, body);
  }

  private String marker() {
    return watchdogs.marker();
  }

  private static String fakeUpstream(String marker) throws URISyntaxException {
    String classes =
        Path.of(FakeUpstream.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    return JAVA + " -cp " + classes + " " + FakeUpstream.class.getName() + " " + marker;
  }

  @ParameterizedTest
  @CsvSource({"0, '0\n'", "7, '7\n'", "10, '10\n'", "4194304, '4194304\n'"})
  void formatsPidAsDecimalLine(long pid, String line) {
    byte[] into = new byte[21];

    int length = CgroupJoin.format(pid, into);

    assertEquals(line, new String(into, 0, length, StandardCharsets.US_ASCII));
  }

  @Test
  void formatsTheLargestPidThatFitsALong() {
    byte[] into = new byte[21];

    int length = CgroupJoin.format(Long.MAX_VALUE, into);

    assertEquals(Long.MAX_VALUE + "\n", new String(into, 0, length, StandardCharsets.US_ASCII));
  }

  private static final String MOUNTINFO =
      """
      31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
      32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
      38 31 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
      40 31 0:37 /docker/abc /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
      """;

  @ParameterizedTest
  @CsvSource({
    "/sys/fs/cgroup/pids/faas/r-1/function/cgroup.procs, /sys/fs/cgroup/pids/faas/r-1/tasks",
    "/sys/fs/cgroup/memory/x/cgroup.procs, /sys/fs/cgroup/memory/own/tasks",
  })
  void findsThisProcesssOwnTasksFileInTheHierarchyOfCgroupProcs(String procs, String home) {
    String self = "8:pids:/faas/r-1\n4:memory:/docker/abc/own\n3:cpu:/\n";

    assertEquals(Path.of(home), CgroupJoin.homeTasks(Path.of(procs), MOUNTINFO, self));
  }

  @Test
  void findsNoHomeOutsideACgroupV1Mount() {
    assertEquals(
        null,
        CgroupJoin.homeTasks(Path.of("/tmp/x/cgroup.procs"), MOUNTINFO, "8:pids:/faas/r-1\n"));
  }

  @Test
  void onCgroupV1TheStartingThreadIsInTheCgroupDuringTheStartAndGoesHomeAfter() throws Exception {
    // plain files stand in for the function's cgroup.procs and tasks and the home's tasks
    Path procs = Files.createFile(dir.resolve("cgroup.procs"));
    Path tasks = Files.createFile(dir.resolve("tasks"));
    Path home = Files.createFile(dir.resolve("home-tasks"));
    CgroupJoin join = new CgroupJoin(procs, home);
    String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
    List<String> duringStart = new ArrayList<>();

    Process process =
        join.start(
            () -> {
              duringStart.addAll(Files.readAllLines(tasks));
              duringStart.addAll(Files.readAllLines(home));
              return new ProcessBuilder("true").start();
            },
            Process::destroyForcibly);
    process.waitFor();

    assertTrue(join.bornInside());
    assertEquals(List.of(tid), duringStart, "in the cgroup, not yet home, while starting");
    assertTrue(Files.readAllLines(home).contains(tid), "home again after the start");
    assertEquals("", Files.readString(procs), "no pid written: the process was born inside");
  }

  @Test
  void onCgroupV1AThreadThatCannotJoinStartsNothing() throws Exception {
    Path procs = Files.createFile(dir.resolve("cgroup.procs"));
    Files.createDirectory(dir.resolve("tasks"));
    CgroupJoin join = new CgroupJoin(procs, Files.createFile(dir.resolve("home-tasks")));
    List<String> started = new ArrayList<>();

    assertThrows(
        CgroupJoin.JoinException.class,
        () ->
            join.start(
                () -> {
                  started.add("started");
                  return new ProcessBuilder("true").start();
                },
                Process::destroyForcibly));
    assertEquals(List.of(), started);
  }

  @Test
  void refusesToStartWhenCgroupProcsDoesNotExist() {
    Path missing = dir.resolve("no-such-cgroup/cgroup.procs");

    WatchdogConfig.InvalidConfigException e =
        assertThrows(
            WatchdogConfig.InvalidConfigException.class,
            () ->
                WatchdogConfig.from(Map.of("fprocess", "cat", "cgroup_procs", missing.toString())));

    assertTrue(e.getMessage().startsWith("cgroup_procs="), e.getMessage());
  }

  @Test
  void writesEachCallsPidIntoCgroupProcsBeforeTheFunctionReadsItsInput() throws Exception {
    Path procs = Files.createFile(dir.resolve("cgroup.procs"));
    // the function reads its input, then shows its pid and what the file held by then
    LocalWatchdog watchdog =
        watchdog(
            "fprocess",
            script("cat > /dev/null; echo $$; cat " + procs),
            "cgroup_procs",
            procs.toString());

    HttpResponse<String> first = watchdog.post("/", "one");
    HttpResponse<String> second = watchdog.post("/", "two");

    assertEquals(200, first.statusCode(), first.body());
    assertEquals(200, second.statusCode(), second.body());
    String firstPid = first.body().lines().findFirst().orElseThrow();
    String secondPid = second.body().lines().findFirst().orElseThrow();
    assertEquals(List.of(firstPid), first.body().lines().skip(1).toList());
    assertEquals(List.of(firstPid, secondPid), second.body().lines().skip(1).toList());
  }

  @Test
  void failsTheCallClosedWith500AndKillsTheFunctionWhenCgroupProcsCannotBeWritten()
      throws Exception {
    Path unwritable = Files.createDirectory(dir.resolve("not-a-file"));
    String marker = marker();
    Path ran = dir.resolve("ran");
    LocalWatchdog watchdog =
        watchdog(
            "fprocess",
            script("sleep " + marker + " & cat > /dev/null; touch " + ran + "; wait"),
            "cgroup_procs",
            unwritable.toString());

    HttpResponse<String> response = watchdog.post("/", "body");

    assertEquals(500, response.statusCode());
    assertEquals("true", response.headers().firstValue("X-Faas-Internal").orElse(null));
    assertEquals(1, response.body().lines().count(), response.body());
    assertTrue(response.body().contains("cgroup_procs"), response.body());
    Leftovers.awaitNone(marker, LIMIT);
    assertTrue(Files.notExists(ran), "the function must not get its input");
    assertEquals(200, watchdog.get("/_/health").statusCode());
  }

  @Test
  void writesTheUpstreamsPidOnceInHttpMode() throws Exception {
    Path procs = Files.createFile(dir.resolve("cgroup.procs"));
    String marker = marker();
    LocalWatchdog watchdog =
        watchdog(
            "mode", "http", "fprocess", fakeUpstream(marker), "cgroup_procs", procs.toString());

    Poll.tolerating(LIMIT, "health 200", () -> watchdog.get("/_/health").statusCode() == 200);
    String upstreamPid = watchdog.get("/pid").body().trim();
    watchdog.post("/echo", "again");

    assertEquals(List.of(upstreamPid), Files.readAllLines(procs));
  }

  @Test
  void killsTheUpstreamAndStaysUnhealthyWhenCgroupProcsCannotBeWritten() throws Exception {
    Path unwritable = Files.createDirectory(dir.resolve("not-a-file"));
    String marker = marker();
    List<String> warnings = new ArrayList<>();
    Logger logger = Logger.getLogger(UpstreamProcess.class.getName());
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            synchronized (warnings) {
              warnings.add(r.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(capture);
    try {
      LocalWatchdog watchdog =
          watchdog(
              "mode",
              "http",
              "fprocess",
              fakeUpstream(marker),
              "cgroup_procs",
              unwritable.toString());

      Poll.tolerating(
          LIMIT,
          "two failed starts logged",
          () -> {
            synchronized (warnings) {
              return warnings.stream().filter(w -> w.contains("cgroup_procs")).count() >= 2;
            }
          });

      Leftovers.awaitNone(marker, LIMIT);
      assertEquals(503, watchdog.get("/_/health").statusCode());
    } finally {
      logger.removeHandler(capture);
    }
  }
}
