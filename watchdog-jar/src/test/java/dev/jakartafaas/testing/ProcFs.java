package dev.jakartafaas.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads {@code /proc} and {@code /sys} for the tests as the platform does: entries vanish while
 * they are read (a process ends, a cgroup is removed), so every read here tolerates that instead of
 * failing the test that only wanted to look. Shared by every module's tests.
 */
public final class ProcFs {

  private static final Path PROC = Path.of("/proc");

  /** A live process as {@code /proc} shows it. */
  public record Proc(long pid, List<String> arguments, Path dir) {

    /** Its environment as {@code NAME=value} entries; empty when it has ended or is not ours. */
    public List<String> environment() {
      return read(dir.resolve("environ")).map(t -> List.of(t.split("\0"))).orElse(List.of());
    }

    /** Ended (only its exit status is left for its parent). */
    public boolean zombie() {
      Optional<String> stat = read(dir.resolve("stat"));
      return stat.isEmpty()
          || stat.get().substring(stat.get().lastIndexOf(')') + 2).startsWith("Z");
    }

    public Optional<ProcessHandle> handle() {
      return ProcessHandle.of(pid);
    }
  }

  private ProcFs() {}

  /**
   * The processes of the machine that match, read in one pass; those that end meanwhile are left
   * out.
   */
  public static List<Proc> processes(Predicate<Proc> filter) {
    List<Proc> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        Optional<String> cmdline = read(entry.resolve("cmdline"));
        if (cmdline.isEmpty() || cmdline.get().isEmpty()) {
          continue; // ended, or a kernel thread
        }
        Proc p = new Proc(Long.parseLong(name), List.of(cmdline.get().split("\0")), entry);
        if (filter.test(p)) {
          found.add(p);
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return found;
  }

  /** Live processes with this exact argument on their command line. */
  public static List<Proc> withArgument(String argument) {
    return processes(p -> p.arguments().contains(argument) && !p.zombie());
  }

  /** A file's text (ISO-8859-1, byte for byte); empty when it is gone or cannot be read. */
  public static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // ENOENT or ESRCH: it ended while we looked; EACCES: not ours
    }
  }

  /**
   * The directories below {@code root} (at most {@code depth} levels down) that match; directories
   * removed during the walk are left out, as are their children.
   */
  public static List<Path> directories(Path root, int depth, Predicate<Path> filter) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return found;
    }
    try {
      Files.walkFileTree(
          root,
          EnumSet.noneOf(FileVisitOption.class),
          depth,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (!dir.equals(root) && filter.test(dir)) {
                found.add(dir);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              // at the depth limit directories arrive here
              if (attrs.isDirectory() && filter.test(file)) {
                found.add(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE; // removed meanwhile
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
              return FileVisitResult.CONTINUE; // a listing cut short by a removal
            }
          });
    } catch (IOException e) {
      return found; // the root itself went away
    }
    return found;
  }
}
