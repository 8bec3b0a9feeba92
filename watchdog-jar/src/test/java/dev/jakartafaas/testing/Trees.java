package dev.jakartafaas.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Deletes what a test made on disk, tolerating files that vanish or appear meanwhile. */
public final class Trees {

  private Trees() {}

  /** Deletes a directory tree (or a file); never follows links; absent is fine. */
  public static void delete(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(root)) {
      entries = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (IOException | UncheckedIOException e) {
      entries = List.of(root); // changing under us: delete what can be reached
    }
    for (Path p : entries) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // gone already, or not empty because something still writes there
      }
    }
  }
}
