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
    AuthSettings s =
        AuthSettings.resolve("auto", "admin", Optional.empty(), Optional.empty(), Optional.empty());
    assertFalse(s.active());
    assertTrue(s.problem().isEmpty());
  }

  @Test
  void autoIsOnWithPassword() {
    AuthSettings s =
        AuthSettings.resolve(
            "auto", "admin", Optional.of("pw"), Optional.empty(), Optional.empty());
    assertTrue(s.active());
    assertEquals(Optional.of(new BasicCredentials("admin", "pw")), s.credentials());
  }

  @Test
  void filesWinAndLoseTheirTrailingNewline() throws Exception {
    Path user = Files.writeString(dir.resolve("basic-auth-user"), "operator\n");
    Path password = Files.writeString(dir.resolve("basic-auth-password"), "from file\r\n");
    AuthSettings s =
        AuthSettings.resolve(
            "auto",
            "admin",
            Optional.of("value"),
            Optional.of(user.toString()),
            Optional.of(password.toString()));
    assertEquals(Optional.of(new BasicCredentials("operator", "from file")), s.credentials());
  }

  @Test
  void unreadableFileRefusesEveryoneAndNamesTheKey() {
    AuthSettings s =
        AuthSettings.resolve(
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
    AuthSettings s =
        AuthSettings.resolve("true", "admin", Optional.empty(), Optional.empty(), Optional.empty());
    assertTrue(s.active());
    assertTrue(s.credentials().isEmpty());
    assertTrue(s.problem().get().contains("no password"), s.problem().get());
  }

  @Test
  void falseIsOffEvenWithPassword() {
    assertFalse(
        AuthSettings.resolve(
                "false", "admin", Optional.of("pw"), Optional.empty(), Optional.empty())
            .active());
  }

  @Test
  void badModeOrUserRefusesEveryone() {
    AuthSettings mode =
        AuthSettings.resolve("yes", "admin", Optional.of("pw"), Optional.empty(), Optional.empty());
    assertTrue(mode.active() && mode.credentials().isEmpty());
    assertTrue(mode.problem().get().contains("faas.auth.enabled"));
    AuthSettings user =
        AuthSettings.resolve("auto", "a:b", Optional.of("pw"), Optional.empty(), Optional.empty());
    assertTrue(user.credentials().isEmpty());
  }

  @Test
  void problemsNeverContainThePassword() {
    AuthSettings s =
        AuthSettings.resolve(
            "maybe", "admin", Optional.of("marker-77"), Optional.empty(), Optional.empty());
    assertFalse(s.problem().get().contains("marker-77"));
  }
}
