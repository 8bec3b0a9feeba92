package dev.jakartafaas.backend.process.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Finds processes through {@code /proc}: the members of a replica's process group (Java cannot
 * signal a group, so members are signalled one by one) and replicas left behind by a gateway that
 * died.
 */
public final class ProcessGroups {

  private static final Path PROC = Path.of("/proc");

  private ProcessGroups() {}

  /** The process group id in the text of {@code /proc/<pid>/stat} (field 5). */
  static OptionalLong groupOf(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return OptionalLong.empty();
    }
    String[] fields = stat.substring(close + 1).trim().split(" ");
    // after the command: state, ppid, pgrp
    if (fields.length < 3) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(fields[2]));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The process group id of a live process. */
  public static OptionalLong groupOf(long pid) {
    try {
      return groupOf(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat")));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** Every process in the group, leader included. */
  public static List<Long> members(long pgid) {
    List<Long> members = new ArrayList<>();
    for (long pid : pids()) {
      if (groupOf(pid).orElse(-1) == pgid) {
        members.add(pid);
      }
    }
    return members;
  }

  /** Processes whose command line contains {@code marker} as one argument. */
  public static List<Long> withArgument(String marker) {
    List<Long> found = new ArrayList<>();
    for (long pid : pids()) {
      try {
        byte[] cmdline = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
        for (String arg : new String(cmdline, StandardCharsets.UTF_8).split("\0")) {
          if (arg.equals(marker)) {
            found.add(pid);
            break;
          }
        }
      } catch (IOException e) {
        // the process ended meanwhile
      }
    }
    return found;
  }

  /**
   * Processes with an environment variable whose {@code NAME=value} text starts with {@code
   * prefix}.
   */
  public static List<Long> withEnvironment(String prefix) {
    List<Long> found = new ArrayList<>();
    for (long pid : pids()) {
      try {
        byte[] environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
        for (String variable : new String(environ, StandardCharsets.UTF_8).split("\0")) {
          if (variable.startsWith(prefix)) {
            found.add(pid);
            break;
          }
        }
      } catch (IOException e) {
        // ended meanwhile, or not ours to read
      }
    }
    return found;
  }

  /**
   * SIGKILL to every member of the group whose id is {@code pgid}. A replica started through {@code
   * setsid} leads a group whose id is its pid; for any other pid no process matches.
   */
  public static void killGroup(long pgid) {
    long self = ProcessHandle.current().pid();
    if (pgid <= 1 || groupOf(self).orElse(-1) == pgid) {
      return;
    }
    for (long pid : members(pgid)) {
      if (pid == self) {
        continue;
      }
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
          try {
            pids.add(Long.parseLong(name));
          } catch (NumberFormatException e) {
            // not a process entry
          }
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to find
    }
    return pids;
  }
}
