package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.problems.entity.BackendUnavailableException;
import dev.jakartafaas.problems.entity.SecretNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Keeps each secret as {@code <data-dir>/secrets/<name>}: the directory 0700, each file 0600 from
 * its creation on, written to a temporary file and moved into place, so that a reader sees the old
 * value or the new one and a crash leaves no half-written secret. Also gives each replica its own
 * read-only copies. Messages name secrets and paths, never contents.
 */
public final class SecretStore {

  private static final Logger LOG = Logger.getLogger(SecretStore.class.getName());

  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> REPLICA_FILE = PosixFilePermissions.fromString("r--------");

  private static final String TEMPORARY_PREFIX = ".tmp-";

  private final Path dir;

  public SecretStore(Path dataDir) {
    this.dir = dataDir.resolve("secrets");
  }

  /** Creates the directory (0700), tightens it if it was looser, drops unfinished writes. */
  public void open() {
    try {
      createPrivateDirectory(dir);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, TEMPORARY_PREFIX + "*")) {
        for (Path f : files) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warning(() -> "cannot prepare the secret store " + dir + ": " + e.getMessage());
    }
  }

  public Path directory() {
    return dir;
  }

  public boolean exists(String name) {
    return FunctionNames.isValid(name)
        && Files.isRegularFile(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
  }

  /** The stored secrets' names, sorted; files that are not secrets are skipped. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (FunctionNames.isValid(name) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "cannot list the secret store " + dir + ": " + e.getMessage());
    }
    names.sort(null);
    return names;
  }

  /** Writes a secret's value, replacing any earlier one atomically. */
  public void write(String name, byte[] value) {
    requireValid(name);
    try {
      createPrivateDirectory(dir);
      writeAtomically(dir, name, value, FILE);
    } catch (IOException | UnsupportedOperationException e) {
      throw new BackendUnavailableException(
          "cannot store secret " + name + " in " + dir + ": " + e.getMessage());
    }
  }

  public void delete(String name) {
    requireValid(name);
    try {
      if (!Files.deleteIfExists(dir.resolve(name))) {
        throw SecretNotFoundException.of(name);
      }
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "cannot delete secret " + name + " from " + dir + ": " + e.getMessage());
    }
  }

  /** The values of those of the named secrets that exist (to mask them in what is shown). */
  public List<byte[]> values(List<String> names) {
    List<byte[]> values = new ArrayList<>();
    for (String name : names) {
      if (!FunctionNames.isValid(name)) {
        continue;
      }
      try {
        values.add(Files.readAllBytes(dir.resolve(name)));
      } catch (IOException e) {
        // deleted meanwhile, or unreadable: nothing of it to mask
      }
    }
    return values;
  }

  /**
   * Copies the named secrets into {@code target} (created 0700), each file 0400: the replica's own
   * copies, which later updates of the store do not touch.
   *
   * @throws IOException naming the first secret that is missing or cannot be copied
   */
  public void copyTo(Path target, List<String> names) throws IOException {
    createPrivateDirectory(target);
    for (String name : names) {
      requireValid(name);
      byte[] value;
      try {
        value = Files.readAllBytes(dir.resolve(name));
      } catch (NoSuchFileException e) {
        throw new IOException("secret " + name + " does not exist");
      }
      writeAtomically(target, name, value, REPLICA_FILE);
    }
  }

  private static void requireValid(String name) {
    if (!FunctionNames.isValid(name)) {
      // callers validate first; this guards the file system against a path in a name
      throw new IllegalArgumentException("not a secret name");
    }
  }

  /** Creates the directory with mode 0700 (no wider moment), or tightens an existing one. */
  static void createPrivateDirectory(Path d) throws IOException {
    Files.createDirectories(d.getParent());
    try {
      Files.createDirectory(d, PosixFilePermissions.asFileAttribute(DIRECTORY));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(d + " exists and is not a directory");
      }
    }
    if (!Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS).equals(DIRECTORY)) {
      Files.setPosixFilePermissions(d, DIRECTORY);
    }
  }

  /** A temporary file created 0600, filled and flushed, given its final mode and moved in. */
  private static void writeAtomically(
      Path d, String name, byte[] value, Set<PosixFilePermission> mode) throws IOException {
    Path tmp = d.resolve(TEMPORARY_PREFIX + name + "-" + UUID.randomUUID());
    FileAttribute<Set<PosixFilePermission>> created = PosixFilePermissions.asFileAttribute(FILE);
    try {
      try (FileChannel c =
          FileChannel.open(
              tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), created)) {
        ByteBuffer b = ByteBuffer.wrap(value);
        while (b.hasRemaining()) {
          c.write(b);
        }
        c.force(true);
      }
      if (!mode.equals(FILE)) {
        Files.setPosixFilePermissions(tmp, mode);
      }
      try {
        Files.move(
            tmp,
            d.resolve(name),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, d.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
