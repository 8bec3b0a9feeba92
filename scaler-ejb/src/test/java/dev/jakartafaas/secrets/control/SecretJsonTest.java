package dev.jakartafaas.secrets.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.problems.entity.FaasException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.secrets.entity.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretJsonTest {

  private static final String MARKER = "S3CRET-MARKER-7f3a";
  private static final int MAX = 64;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Secret secret(String body) {
    return SecretJson.secret(bytes(body), MAX);
  }

  @Test
  void readsAStringValueAsUtf8() {
    Secret s = secret("{\"name\": \"db-password\", \"value\": \"pä\\u0000ss\\n\"}");
    assertEquals("db-password", s.name());
    assertArrayEquals("pä\0ss\n".getBytes(StandardCharsets.UTF_8), s.value());
  }

  @Test
  void readsABase64RawValueAsBytes() {
    byte[] binary = {0, (byte) 0xff, (byte) 0x80, 10, 13};
    Secret s =
        secret(
            "{\"name\": \"key\", \"namespace\": \"openfaas-fn\", \"rawValue\": \""
                + Base64.getEncoder().encodeToString(binary)
                + "\"}");
    assertArrayEquals(binary, s.value());
  }

  @Test
  void acceptsAValueOfExactlyTheLimitAndRefusesOneByteMore() {
    String atLimit = "x".repeat(MAX);
    assertEquals(MAX, secret("{\"name\": \"a\", \"value\": \"" + atLimit + "\"}").value().length);
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> secret("{\"name\": \"a\", \"value\": \"" + atLimit + "y\"}"));
    assertEquals("the secret's value is larger than 64 bytes", e.getMessage());
  }

  @Test
  void bodyLimitLeavesRoomForAValueOfEscapedControlCharacters() {
    int max = 1000;
    StringBuilder escaped = new StringBuilder();
    for (int i = 0; i < max; i++) {
      escaped.append("\\u0001");
    }
    String body =
        "{\"name\": \"a\", \"namespace\": \"openfaas-fn\", \"value\": \"" + escaped + "\"}";
    assertTrue(bytes(body).length <= SecretJson.bodyLimit(max));
    assertEquals(max, SecretJson.secret(bytes(body), max).value().length);
    assertEquals(Integer.MAX_VALUE - 8, SecretJson.bodyLimit(Integer.MAX_VALUE), "no overflow");
  }

  @Test
  void rawValueWinsWhenBothAreGivenAsFaasCliSendsAFile() {
    // faas-cli secret create NAME --from-file F sends the file's bytes as both fields
    Secret s = secret("{\"name\": \"db\", \"value\": \"text\", \"rawValue\": \"AAEC/w==\"}");
    assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, s.value());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"value\": \"v\"}| field 'name' is required",
        "{\"name\": \"\", \"value\": \"v\"}| field 'name' is required",
        "{\"name\": 5, \"value\": \"v\"}| field 'name' must be a string",
        "{\"name\": \"a\"}| field 'value' (a non-empty string) or 'rawValue'",
        "{\"name\": \"a\", \"value\": \"\"}| field 'value' (a non-empty string) or 'rawValue'",
        "{\"name\": \"a\", \"value\": null}| field 'value' (a non-empty string) or 'rawValue'",
        "{\"name\": \"a\", \"value\": 42}| field 'value' must be a string",
        "{\"name\": \"a\", \"value\": [\"v\"]}| field 'value' must be a string",
        "{\"name\": \"a\", \"value\": {\"v\": 1}}| field 'value' must be a string",
        "{\"name\": \"a\", \"rawValue\": [1, 2]}| field 'rawValue' must be a string",
        "{\"name\": \"a\", \"value\": \"v\", \"rawValue\": \"not base64!\"}| field 'rawValue' must be"
            + " standard base64",
        "{\"name\": \"a\", \"rawValue\": \"not base64!\"}| field 'rawValue' must be standard base64",
        "{\"name\": \"a\", \"rawValue\": \"d===\"}| field 'rawValue' must be standard base64",
        "{\"name\": \"a\", \"value\": \"\\ud800\"}| field 'value' holds an unpaired UTF-16"
            + " surrogate",
        "{\"name\": \"a\", \"value\": \"v\", \"namespace\": 1}| field 'namespace' must be a string",
        "[\"a\", \"v\"]| request body must be a JSON object, not array",
        "\"v\"| request body must be a JSON object, not string",
        "{\"name\": \"a\", \"value\": \"v\"| request body is not valid JSON",
        "not json| request body is not valid JSON",
      })
  void rejectsBadSecretsWithAMessageNamingTheProblem(String body, String message) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> secret(body));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertEquals(400, e.status());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "../x",
        "%2e%2e",
        "a/b",
        "Db",
        "-a",
        "a-",
        "a_b",
        "a.b",
        "ａｂ",
        "a\u0000b",
        "a b",
        "0123456789012345678901234567890123456789012345678901234567890123",
      })
  void rejectsNamesThatAreNotDns1123LabelsInEveryRequest(String name) {
    String json = name.replace("\u0000", "\\u0000");
    InvalidInputException create =
        assertThrows(
            InvalidInputException.class,
            () -> secret("{\"name\": \"" + json + "\", \"value\": \"v\"}"));
    assertTrue(create.getMessage().startsWith("invalid secret name"), create.getMessage());
    assertThrows(
        InvalidInputException.class,
        () -> SecretJson.deleteRequest(bytes("{\"name\": \"" + json + "\"}")));
  }

  @Test
  void acceptsANameOf63Characters() {
    String name = "a".repeat(63);
    assertEquals(name, secret("{\"name\": \"" + name + "\", \"value\": \"v\"}").name());
  }

  @Test
  void answers404ForAnotherNamespace() {
    assertThrows(
        FunctionNotFoundException.class,
        () -> secret("{\"name\": \"a\", \"value\": \"v\", \"namespace\": \"kube-system\"}"));
    assertThrows(
        FunctionNotFoundException.class,
        () -> SecretJson.deleteRequest(bytes("{\"name\": \"a\", \"namespace\": \"other\"}")));
  }

  @Test
  void rejectsEmptyAndDeeplyNestedBodies() {
    assertThrows(InvalidInputException.class, () -> SecretJson.secret(new byte[0], MAX));
    String nested = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> secret(nested));
    assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"name\": \"a\", \"value\": \"" + MARKER + "\" ",
        "{\"name\": \"a\", \"value\": \"" + MARKER + "\", }",
        "{\"name\": \"a\", \"value\": \"" + MARKER + "\"} trailing",
        "{\"name\": \"a\", \"value\": " + MARKER + "}",
        "{\"name\": \"Bad\", \"value\": \"" + MARKER + "\"}",
        "{\"name\": \"a\", \"value\": \"" + MARKER + "\", \"rawValue\": \"" + MARKER + "\"}",
        "{\"name\": \"a\", \"rawValue\": \"" + MARKER + "\"}",
        "{\"name\": \"a\", \"value\": \"" + MARKER + "\", \"namespace\": \"x\"}",
      })
  void noMessageEverContainsTheValue(String body) {
    FaasException e = assertThrows(FaasException.class, () -> secret(body));
    assertFalse(e.getMessage().contains(MARKER), e.getMessage());
    assertFalse(e.getMessage().contains("7f3a"), e.getMessage());
  }

  @Test
  void secretsShowTheirNameButNeverTheirValue() {
    Secret s = secret("{\"name\": \"db\", \"value\": \"" + MARKER + "\"}");
    assertEquals("Secret[name=db, value=(18 bytes, not shown)]", s.toString());
    assertFalse(s.toString().contains(MARKER));
  }

  @Test
  void readsDeleteRequests() {
    assertEquals("db", SecretJson.deleteRequest(bytes("{\"name\": \"db\"}")));
    assertEquals(
        "db",
        SecretJson.deleteRequest(bytes("{\"name\": \"db\", \"namespace\": \"openfaas-fn\"}")));
    assertThrows(InvalidInputException.class, () -> SecretJson.deleteRequest(bytes("{}")));
  }

  @Test
  void listsNamesSortedWithTheNamespaceAndNothingElse() {
    assertEquals(
        "[{\"name\":\"api-key\",\"namespace\":\"openfaas-fn\"},"
            + "{\"name\":\"db\",\"namespace\":\"openfaas-fn\"}]",
        SecretJson.list(List.of("db", "api-key")));
    assertEquals("[]", SecretJson.list(List.of()));
  }
}
