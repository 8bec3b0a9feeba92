package dev.jakartafaas.backend.process.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What replicas leave behind and how it is cleaned: processes of a gateway that died (found by the
 * data directory's marker on their command line, and by a {@code TMPDIR} inside it) and replicas'
 * private temporary directories.
 */
final class Leftovers {

  private static final Logger LOG = Logger.getLogger(Leftovers.class.getName());

  private Leftovers() {}

  /**
   * Kills replicas of this data directory with their process groups, and whatever they started that
   * lives on (its TMPDIR lies in the data directory).
   *
   * @return the pids killed
   */
  static List<Long> kill(ProcessSettings settings) {
    List<Long> found = new ArrayList<>(ProcessGroups.withArgument(settings.ownerMarker()));
    for (long pid : found) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      ProcessGroups.killGroup(pid);
    }
    String tmp = ReplicaCommand.TMPDIR + "=" + settings.dataDir().resolve("tmp") + "/";
    for (long pid : ProcessGroups.withEnvironment(tmp)) {
      if (pid != ProcessHandle.current().pid()) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        found.add(pid);
      }
    }
    return found;
  }

  /** Deletes a replica's private temporary directory (or all of them). */
  static void deleteTree(Path dir) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(f);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.fine(() -> "cannot delete " + dir + ": " + e.getMessage());
    }
  }
}
