package dev.jakartafaas.security.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthSettingsTest {

  @TempDir Path dir;

  @Test
  void autoIsOffWithoutPassword() {
    Authentication s =
        Authentication.resolve(
            "auto", "admin", Optional.empty(), Optional.empty(), Optional.empty());
    assertFalse(s.active());
    assertTrue(s.problem().isEmpty());
  }

  @Test
  void autoIsOnWithPassword() {
    Authentication s =
        Authentication.resolve(
            "auto", "admin", Optional.of("pw"), Optional.empty(), Optional.empty());
    assertTrue(s.active());
    assertEquals(Optional.of(new BasicCredentials("admin", "pw")), s.credentials());
  }

  @Test
  void filesWinAndLoseTheirTrailingNewline() throws Exception {
    Path user = Files.writeString(dir.resolve("basic-auth-user"), "operator\n");
    Path password = Files.writeString(dir.resolve("basic-auth-password"), "from file\r\n");
    Authentication s =
        Authentication.resolve(
            "auto",
            "admin",
            Optional.of("value"),
            Optional.of(user.toString()),
            Optional.of(password.toString()));
    assertEquals(Optional.of(new BasicCredentials("operator", "from file")), s.credentials());
  }

  @Test
  void unreadableFileRefusesEveryoneAndNamesTheKey() {
    Authentication s =
        Authentication.resolve(
            "auto",
            "admin",
            Optional.empty(),
            Optional.empty(),
            Optional.of(dir.resolve("missing").toString()));
    assertTrue(s.active());
    assertTrue(s.credentials().isEmpty());
    assertTrue(s.problem().get().contains("faas.auth.password-file"), s.problem().get());
  }

  @Test
  void trueWithoutPasswordRefusesEveryone() {
    Authentication s =
        Authentication.resolve(
            "true", "admin", Optional.empty(), Optional.empty(), Optional.empty());
    assertTrue(s.active());
    assertTrue(s.credentials().isEmpty());
    assertTrue(s.problem().get().contains("no password"), s.problem().get());
  }

  @Test
  void falseIsOffEvenWithPassword() {
    assertFalse(
        Authentication.resolve(
                "false", "admin", Optional.of("pw"), Optional.empty(), Optional.empty())
            .active());
  }

  @Test
  void badModeOrUserRefusesEveryone() {
    Authentication mode =
        Authentication.resolve(
            "yes", "admin", Optional.of("pw"), Optional.empty(), Optional.empty());
    assertTrue(mode.active() && mode.credentials().isEmpty());
    assertTrue(mode.problem().get().contains("faas.auth.enabled"));
    Authentication user =
        Authentication.resolve(
            "auto", "a:b", Optional.of("pw"), Optional.empty(), Optional.empty());
    assertTrue(user.credentials().isEmpty());
  }

  @Test
  void problemsNeverContainThePassword() {
    Authentication s =
        Authentication.resolve(
            "maybe", "admin", Optional.of("marker-77"), Optional.empty(), Optional.empty());
    assertFalse(s.problem().get().contains("marker-77"));
  }
}
