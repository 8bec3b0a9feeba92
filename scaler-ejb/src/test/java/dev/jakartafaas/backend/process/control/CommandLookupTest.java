package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.problems.entity.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLookupTest {

  @TempDir Path work;

  @BeforeEach
  void files() throws IOException {
    Files.createDirectories(work.resolve("bin"));
    Files.createDirectories(work.resolve("scripts"));
    executable(work.resolve("bin/tool"));
    executable(work.resolve("scripts/run.sh"));
    Files.writeString(work.resolve("scripts/data.txt"), "not a program");
    Files.createDirectories(work.resolve("scripts/dir.sh"));
  }

  private static void executable(Path p) throws IOException {
    Files.writeString(p, "#!/bin/sh\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** PATH is relative to the work directory where it is relative, as for the replica. */
  @ParameterizedTest(name = "{0} on PATH={1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "tool|bin|bin/tool",
        "tool --flag value|/nowhere:bin|bin/tool",
        "  tool  x|bin|bin/tool",
        "scripts/run.sh|bin|scripts/run.sh",
        "./scripts/run.sh arg|bin|scripts/run.sh",
      })
  void findsTheProgramAsTheWatchdogWill(String fprocess, String path, String found) {
    assertEquals(
        work.resolve(found).normalize(),
        CommandLookup.require(fprocess, Map.of("PATH", path), work).normalize());
  }

  @ParameterizedTest(name = "{0} on PATH={1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no-such-command|bin|command 'no-such-command' was not found on the replicas' PATH (bin)",
        "tool||command 'tool' was not found on the replicas' PATH (/usr/bin:/bin)",
        "scripts/missing.sh|bin|scripts/missing.sh does not exist",
        "scripts/data.txt|bin|scripts/data.txt is not an executable file",
        "scripts/dir.sh|bin|scripts/dir.sh is not an executable file",
        "/no/such/program|bin|/no/such/program does not exist",
      })
  void refusesAProgramThatIsNotThereNamingIt(String fprocess, String path, String message) {
    Map<String, String> env = path == null ? Map.of() : Map.of("PATH", path);
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> CommandLookup.require(fprocess, env, work));
    assertTrue(e.getMessage().startsWith("field 'envProcess': "), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"cat", "sh -c 'echo hi'", "/bin/sh"})
  void findsTheSystemsOwnPrograms(String fprocess) {
    assertTrue(
        Files.isExecutable(CommandLookup.require(fprocess, Map.of("PATH", "/usr/bin:/bin"), work)));
  }
}
