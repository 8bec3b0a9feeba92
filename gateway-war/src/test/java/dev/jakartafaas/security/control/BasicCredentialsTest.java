package dev.jakartafaas.security.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BasicCredentialsTest {

  private static String basic(String pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsUserAndPasswordSplitAtTheFirstColon() {
    assertEquals(
        Optional.of(new BasicCredentials("admin", "pa:ss wörd")),
        BasicCredentials.fromHeader(basic("admin:pa:ss wörd")));
  }

  @Test
  void schemeIsCaseInsensitiveAndSpacesAroundAreIgnored() {
    assertEquals(
        Optional.of(new BasicCredentials("a", "b")),
        BasicCredentials.fromHeader("  bAsIc   " + basic("a:b").substring(6) + " "));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "Basic", "Basic ", "Bearer abc", "Basic !!!not-base64", "Basic YWRtaW4="})
  void refusesAnythingElse(String header) {
    assertTrue(BasicCredentials.fromHeader(header).isEmpty(), header);
  }

  @Test
  void nullHeaderIsNoCredentials() {
    assertTrue(BasicCredentials.fromHeader(null).isEmpty());
  }

  @Test
  void matchesOnlyWhenBothPartsAreEqual() {
    BasicCredentials configured = new BasicCredentials("admin", "s3cret");
    assertTrue(configured.matches(new BasicCredentials("admin", "s3cret")));
    assertFalse(configured.matches(new BasicCredentials("admin", "s3cret ")));
    assertFalse(configured.matches(new BasicCredentials("admin", "")));
    assertFalse(configured.matches(new BasicCredentials("Admin", "s3cret")));
    assertFalse(configured.matches(new BasicCredentials("", "")));
  }

  @Test
  void toStringNeverShowsThePassword() {
    assertFalse(new BasicCredentials("admin", "marker-42").toString().contains("marker-42"));
  }
}
