package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WatchdogConfigTest {

  @Test
  void usesOpenFaasDefaults() {
    WatchdogConfig config = WatchdogConfig.from(Map.of("fprocess", "cat"));

    assertEquals(List.of("cat"), config.command());
    assertEquals(WatchdogConfig.Mode.FORK, config.mode());
    assertEquals("0.0.0.0", config.bindAddress());
    assertEquals(8080, config.port());
    assertNull(config.upstreamUrl());
    assertEquals(Duration.ofSeconds(5), config.readTimeout());
    assertEquals(Duration.ofSeconds(5), config.writeTimeout());
    assertEquals(Duration.ZERO, config.execTimeout());
    assertEquals(Duration.ZERO, config.healthcheckInterval());
    assertEquals(0, config.maxInflight());
    assertTrue(config.combineOutput());
    assertFalse(config.writeDebug());
    assertNull(config.contentType());
    assertFalse(config.suppressLock());
    assertTrue(config.cgiHeaders());
    assertEquals(WatchdogConfig.DEFAULT_MAX_BODY_BYTES, config.maxBodyBytes());
    assertEquals(WatchdogConfig.DEFAULT_MAX_OUTPUT_BYTES, config.maxOutputBytes());
    assertEquals(0, config.metricsPort());
    assertEquals(Path.of("/tmp/.lock"), config.lockFile());
  }

  @Test
  void readsEveryVariable() {
    WatchdogConfig config =
        WatchdogConfig.from(
            Map.ofEntries(
                Map.entry("fprocess", "node index.js"),
                Map.entry("mode", "HTTP"),
                Map.entry("bind_address", "127.0.0.1"),
                Map.entry("port", "9000"),
                Map.entry("upstream_url", "http://127.0.0.1:5000"),
                Map.entry("read_timeout", "2s"),
                Map.entry("write_timeout", "3s"),
                Map.entry("exec_timeout", "4s"),
                Map.entry("healthcheck_interval", "6s"),
                Map.entry("max_inflight", "7"),
                Map.entry("combine_output", "false"),
                Map.entry("write_debug", "true"),
                Map.entry("content_type", "application/json"),
                Map.entry("suppress_lock", "true"),
                Map.entry("cgi_headers", "false"),
                Map.entry("max_body_bytes", "100"),
                Map.entry("max_output_bytes", "200"),
                Map.entry("metrics_port", "8081"),
                Map.entry("TMPDIR", "/var/tmp")));

    assertEquals(List.of("node", "index.js"), config.command());
    assertEquals(WatchdogConfig.Mode.HTTP, config.mode());
    assertEquals("127.0.0.1", config.bindAddress());
    assertEquals(9000, config.port());
    assertEquals("http://127.0.0.1:5000", config.upstreamUrl());
    assertEquals(Duration.ofSeconds(2), config.readTimeout());
    assertEquals(Duration.ofSeconds(3), config.writeTimeout());
    assertEquals(Duration.ofSeconds(4), config.execTimeout());
    assertEquals(Duration.ofSeconds(6), config.healthcheckInterval());
    assertEquals(7, config.maxInflight());
    assertFalse(config.combineOutput());
    assertTrue(config.writeDebug());
    assertEquals("application/json", config.contentType());
    assertTrue(config.suppressLock());
    assertFalse(config.cgiHeaders());
    assertEquals(100, config.maxBodyBytes());
    assertEquals(200, config.maxOutputBytes());
    assertEquals(8081, config.metricsPort());
    assertEquals(Path.of("/var/tmp/.lock"), config.lockFile());
  }

  /** The same table as the gateway's configuration: one grammar for every duration. */
  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvFileSource(resources = "/dev/jakartafaas/testing/durations.csv")
  void readsDurationsOfTheSharedTableAndRefusesTheRestNamingTheVariable(String text, Long millis) {
    if (millis != null) {
      assertEquals(Duration.ofMillis(millis), WatchdogConfig.parseDuration("exec_timeout", text));
      return;
    }
    var e =
        assertThrows(
            WatchdogConfig.InvalidConfigException.class,
            () -> WatchdogConfig.parseDuration("exec_timeout", text));
    assertTrue(e.getMessage().startsWith("exec_timeout="), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "port, abc",
    "port, 70000",
    "port, -1",
    "metrics_port, x",
    "exec_timeout, soon",
    "read_timeout, 5 minutes",
    "write_timeout, never",
    "healthcheck_interval, often",
    "combine_output, maybe",
    "write_debug, loud",
    "suppress_lock, perhaps",
    "cgi_headers, some",
    "max_inflight, -1",
    "max_inflight, many",
    "max_body_bytes, 1MB",
    "max_output_bytes, -5",
    "mode, stream",
    "upstream_url, ftp://x",
    "upstream_url, not a url",
  })
  void rejectsBadValueWithMessageNamingVariable(String variable, String value) {
    var e =
        assertThrows(
            WatchdogConfig.InvalidConfigException.class,
            () -> WatchdogConfig.from(Map.of("fprocess", "cat", variable, value)));
    assertTrue(e.getMessage().contains(variable), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void requiresFprocess(String value) {
    var e =
        assertThrows(
            WatchdogConfig.InvalidConfigException.class,
            () -> WatchdogConfig.from(Map.of("fprocess", value)));
    assertTrue(e.getMessage().contains("fprocess"), e.getMessage());
  }

  @Test
  void requiresFprocessWhenMissing() {
    var e =
        assertThrows(
            WatchdogConfig.InvalidConfigException.class, () -> WatchdogConfig.from(Map.of()));
    assertTrue(e.getMessage().contains("fprocess"), e.getMessage());
  }

  @Test
  void treatsBlankValuesAsDefaults() {
    WatchdogConfig config =
        WatchdogConfig.from(Map.of("fprocess", "cat", "port", " ", "exec_timeout", ""));

    assertEquals(8080, config.port());
    assertEquals(Duration.ZERO, config.execTimeout());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "cat | cat",
        "  cat  | cat",
        "node  index.js | node,index.js",
        "sh -c 'echo hi' | sh,-c,'echo,hi'",
        "python3 \"my file.py\" | python3,\"my,file.py\"",
        "wc -c | wc,-c",
      })
  void splitsFprocessOnSpacesWithoutShellQuoting(String fprocess, String expected) {
    assertEquals(
        List.of(expected.split(",")), WatchdogConfig.from(Map.of("fprocess", fprocess)).command());
  }

  @Test
  void resolvesExecutableOnPathSkippingNonExecutables(@TempDir Path dir) throws IOException {
    Path first = Files.createDirectory(dir.resolve("first"));
    Path second = Files.createDirectory(dir.resolve("second"));
    Files.writeString(first.resolve("tool"), "not executable");
    Path tool = Files.writeString(second.resolve("tool"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

    Path resolved =
        WatchdogConfig.resolveExecutable(
            "tool", dir.resolve("missing") + "::" + first + ":" + second);

    assertEquals(tool, resolved);
  }

  @Test
  void resolvesWithDefaultPathWhenPathIsUnset() {
    Path resolved = WatchdogConfig.resolveExecutable("sh", null);

    assertTrue(resolved.toString().matches("/(usr/)?bin/sh"), resolved.toString());
  }

  @Test
  void keepsExecutableGivenWithSlash() {
    assertEquals(Path.of("/bin/sh"), WatchdogConfig.resolveExecutable("/bin/sh", "/nowhere"));
  }

  @Test
  void rejectsUnknownCommandNamingFprocess() {
    var e =
        assertThrows(
            WatchdogConfig.InvalidConfigException.class,
            () -> WatchdogConfig.resolveExecutable("no-such-command-4711", "/usr/bin:/bin"));
    assertTrue(e.getMessage().startsWith("fprocess"), e.getMessage());
  }

  @Test
  void rejectsNonExecutablePathNamingFprocess(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("script.sh"), "echo hi\n");

    var e =
        assertThrows(
            WatchdogConfig.InvalidConfigException.class,
            () -> WatchdogConfig.resolveExecutable(file.toString(), null));
    assertTrue(e.getMessage().startsWith("fprocess"), e.getMessage());
  }
}
