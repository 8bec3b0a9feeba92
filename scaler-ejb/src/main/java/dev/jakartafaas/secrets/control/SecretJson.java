package dev.jakartafaas.secrets.control;

import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.functions.control.JsonBody;
import dev.jakartafaas.problems.entity.InvalidInputException;
import dev.jakartafaas.secrets.entity.Secret;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Reads OpenFaaS's Secret document ({@code name}, {@code value} or base64 {@code rawValue}, {@code
 * namespace}) and writes the list of names. No message this class produces contains any part of a
 * value (bodies are read by {@link JsonBody#object}, whose parser errors report only a position).
 */
public final class SecretJson {

  private static final JsonProvider JSON = JsonProvider.provider();

  private SecretJson() {}

  /**
   * The largest request body that can carry a value of {@code maxValueBytes}: a JSON string may
   * spend six characters ({@code \u0001}) on one byte; plus room for the other fields.
   */
  public static int bodyLimit(int maxValueBytes) {
    long limit = 6L * maxValueBytes + 64 * 1024;
    return (int) Math.min(Integer.MAX_VALUE - 8, limit);
  }

  /** Returns the name if it is a DNS-1123 label of at most 63 characters, else a 400. */
  public static String requireName(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidInputException("field 'name' is required: the secret's name");
    }
    if (!FunctionNames.isValid(name)) {
      throw new InvalidInputException(
          "invalid secret name '"
              + FunctionNames.printable(name)
              + "': use at most 63 lower-case letters, digits and '-', starting and ending with a"
              + " letter or digit");
    }
    return name;
  }

  /**
   * Parses a create or update body: a name and {@code value} or {@code rawValue}. When both are
   * given, {@code rawValue} is the secret, as OpenFaaS takes it: {@code faas-cli secret create
   * --from-file} sends the file as both.
   */
  public static Secret secret(byte[] body, int maxValueBytes) {
    JsonObject o = JsonBody.object(body);
    FunctionNames.requireNamespace(JsonBody.string(o, "namespace"));
    String name = requireName(JsonBody.string(o, "name"));
    String value = JsonBody.string(o, "value");
    String raw = JsonBody.string(o, "rawValue");
    boolean hasValue = value != null && !value.isEmpty();
    boolean hasRaw = raw != null && !raw.isEmpty();
    if (!hasValue && !hasRaw) {
      throw new InvalidInputException(
          "field 'value' (a non-empty string) or 'rawValue' (base64 bytes) is required: the"
              + " secret's content");
    }
    byte[] bytes = hasRaw ? base64(raw) : utf8(value);
    if (bytes.length == 0) {
      throw new InvalidInputException("field 'rawValue' decodes to no bytes: a secret needs some");
    }
    if (bytes.length > maxValueBytes) {
      throw new InvalidInputException(
          "the secret's value is larger than " + maxValueBytes + " bytes");
    }
    return new Secret(name, bytes);
  }

  /** Parses a delete body ({@code {"name": "..."}}) and returns the name. */
  public static String deleteRequest(byte[] body) {
    JsonObject o = JsonBody.object(body);
    FunctionNames.requireNamespace(JsonBody.string(o, "namespace"));
    return requireName(JsonBody.string(o, "name"));
  }

  /** The answer of {@code GET /system/secrets}: names (and the namespace), never values. */
  public static String list(List<String> names) {
    JsonArrayBuilder a = JSON.createArrayBuilder();
    for (String name : names.stream().sorted().toList()) {
      a.add(JSON.createObjectBuilder().add("name", name).add("namespace", FunctionNames.NAMESPACE));
    }
    return a.build().toString();
  }

  /** UTF-8 of a string, refusing lone surrogates (which UTF-8 cannot carry). */
  private static byte[] utf8(String value) {
    try {
      ByteBuffer b =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(value));
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return bytes;
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(
          "field 'value' holds an unpaired UTF-16 surrogate, which is not text; send binary"
              + " values base64-encoded as 'rawValue'");
    }
  }

  /** Standard base64 with padding, as Go encodes {@code []byte}; line breaks are ignored. */
  private static byte[] base64(String raw) {
    try {
      return Base64.getDecoder().decode(raw.replace("\r", "").replace("\n", ""));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "field 'rawValue' must be standard base64 (A-Z a-z 0-9 + /, padded with =)");
    }
  }
}
