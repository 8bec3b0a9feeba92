package dev.jakartafaas.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives each test JVM a temporary directory of its own and removes it with all it holds when the
 * tests end, so that a build leaves nothing in the system's temporary directory (Arquillian's
 * Payara Micro container copies every deployment into a temporary folder it never deletes). The
 * build points {@code java.io.tmpdir} below {@code target/} (the root pom's {@code argLine}); this
 * listener, registered for every module's tests through the watchdog's test jar, creates it first
 * and deletes it last. Where {@code java.io.tmpdir} is the system's own, it does nothing.
 */
public final class PrivateTempDirectory implements LauncherSessionListener {

  /** The last part of the private directory's name: only such a directory is ever deleted. */
  static final String NAME = "test-tmp";

  private static Path own() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    return tmp.getFileName() != null && tmp.getFileName().toString().equals(NAME) ? tmp : null;
  }

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Path dir = own();
    if (dir != null) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the tests' temporary directory " + dir, e);
      }
    }
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    Path dir = own();
    if (dir != null) {
      Trees.delete(dir);
    }
  }
}
