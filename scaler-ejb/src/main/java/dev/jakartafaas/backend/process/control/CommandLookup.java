package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.problems.entity.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the program a deployment's command names, at deploy time and as its replica's watchdog will
 * (the first word of {@code fprocess}, on the replica's {@code PATH}, or a path from the replica's
 * working directory), so that a command that does not exist is a 400 naming it rather than a
 * replica that never gets ready.
 */
final class CommandLookup {

  /** The search path when the replica's environment has no {@code PATH}, as the watchdog's. */
  static final String DEFAULT_PATH = "/usr/bin:/bin";

  private CommandLookup() {}

  /**
   * The program that runs for {@code fprocess}.
   *
   * @param environment the replica's environment: its {@code PATH} is searched
   * @param workDir the replica's working directory, where relative paths start
   * @throws InvalidInputException when no such executable file exists
   */
  static Path require(String fprocess, Map<String, String> environment, Path workDir) {
    String program = firstWord(fprocess);
    if (program.contains("/")) {
      Path path;
      try {
        path = workDir.resolve(program).normalize();
      } catch (InvalidPathException e) {
        throw new InvalidInputException(
            "field 'envProcess': '" + printable(program) + "' is not a valid path");
      }
      if (Files.isRegularFile(path) && Files.isExecutable(path)) {
        return path;
      }
      throw new InvalidInputException(
          "field 'envProcess': "
              + printable(program)
              + (Files.exists(path) ? " is not an executable file" : " does not exist")
              + (program.startsWith("/") ? "" : " (relative to " + workDir + ")"));
    }
    String searchPath = environment.getOrDefault("PATH", "");
    if (searchPath.isBlank()) {
      searchPath = DEFAULT_PATH;
    }
    for (String dir : searchPath.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate;
      try {
        candidate = workDir.resolve(dir).resolve(program);
      } catch (InvalidPathException e) {
        continue;
      }
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new InvalidInputException(
        "field 'envProcess': command '"
            + printable(program)
            + "' was not found on the replicas' PATH ("
            + printable(searchPath)
            + ")");
  }

  /** The program's word of a command line: the watchdog splits {@code fprocess} on spaces. */
  static String firstWord(String fprocess) {
    for (String word : fprocess.trim().split(" +")) {
      if (!word.isEmpty()) {
        return word;
      }
    }
    return "";
  }

  private static String printable(String s) {
    return FunctionNames.printable(s);
  }
}
