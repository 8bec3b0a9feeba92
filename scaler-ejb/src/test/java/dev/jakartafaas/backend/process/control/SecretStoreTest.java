package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.problems.entity.SecretNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {

  @TempDir Path data;

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void storesEachSecretInAPrivateDirectoryAsAFileOnlyTheOwnerCanRead() throws Exception {
    SecretStore store = new SecretStore(data);
    store.open();
    store.write("db-password", bytes("hunter2"));
    Path dir = data.resolve("secrets");
    assertEquals("rwx------", mode(dir));
    assertEquals("rw-------", mode(dir.resolve("db-password")));
    assertArrayEquals(bytes("hunter2"), Files.readAllBytes(dir.resolve("db-password")));
    assertTrue(store.exists("db-password"));
  }

  @Test
  void replacesAValueWithoutLeavingTemporaryFiles() throws Exception {
    SecretStore store = new SecretStore(data);
    store.write("api-key", bytes("one"));
    store.write("api-key", bytes("two"));
    assertArrayEquals(bytes("two"), Files.readAllBytes(data.resolve("secrets/api-key")));
    try (var files = Files.list(data.resolve("secrets"))) {
      assertEquals(List.of("api-key"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void listsOnlyFilesWithSecretNamesSorted() throws Exception {
    SecretStore store = new SecretStore(data);
    store.write("b", bytes("1"));
    store.write("a", bytes("2"));
    Files.writeString(data.resolve("secrets/.tmp-c-123"), "x");
    Files.writeString(data.resolve("secrets/Not_A_Secret"), "x");
    Files.createDirectory(data.resolve("secrets/dir"));
    assertEquals(List.of("a", "b"), store.names());
    assertFalse(store.exists("dir"));
    assertFalse(store.exists("../secrets/a"));
  }

  @Test
  void listsNothingBeforeTheFirstSecret() {
    assertEquals(List.of(), new SecretStore(data).names());
  }

  @Test
  void openTightensALooseDirectoryAndDropsUnfinishedWrites() throws Exception {
    Path dir = Files.createDirectories(data.resolve("secrets"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(dir.resolve(".tmp-db-1"), "half");
    new SecretStore(data).open();
    assertEquals("rwx------", mode(dir));
    assertFalse(Files.exists(dir.resolve(".tmp-db-1")));
  }

  @Test
  void deletesAndAnswers404ForAnAbsentSecret() {
    SecretStore store = new SecretStore(data);
    store.write("gone", bytes("x"));
    store.delete("gone");
    assertFalse(store.exists("gone"));
    assertThrows(SecretNotFoundException.class, () -> store.delete("gone"));
  }

  @Test
  void refusesANameThatIsAPath() {
    SecretStore store = new SecretStore(data);
    assertThrows(IllegalArgumentException.class, () -> store.write("../x", bytes("v")));
    assertThrows(IllegalArgumentException.class, () -> store.delete("a/b"));
    assertFalse(Files.exists(data.resolve("x")));
  }

  @Test
  void givesAReplicaReadOnlyCopiesInADirectoryOfItsOwn() throws Exception {
    SecretStore store = new SecretStore(data);
    store.write("a", bytes("alpha"));
    store.write("b", new byte[] {0, 1, 2});
    Path target = data.resolve("tmp/f-1/secrets");
    store.copyTo(target, List.of("a", "b"));
    assertEquals("rwx------", mode(target));
    assertEquals("r--------", mode(target.resolve("a")));
    assertArrayEquals(bytes("alpha"), Files.readAllBytes(target.resolve("a")));
    assertArrayEquals(new byte[] {0, 1, 2}, Files.readAllBytes(target.resolve("b")));

    store.write("a", bytes("changed"));
    assertArrayEquals(
        bytes("alpha"), Files.readAllBytes(target.resolve("a")), "a replica keeps its copy");
  }

  @Test
  void failsACopyNamingTheMissingSecret() {
    SecretStore store = new SecretStore(data);
    IOException e =
        assertThrows(
            IOException.class,
            () -> store.copyTo(data.resolve("tmp/f-1/secrets"), List.of("nope")));
    assertEquals("secret nope does not exist", e.getMessage());
  }
}
