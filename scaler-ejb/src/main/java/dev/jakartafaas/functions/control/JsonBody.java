package dev.jakartafaas.functions.control;

import dev.jakartafaas.problems.entity.InvalidInputException;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * How the management API reads a JSON body, for functions, scaling, alerts and secrets alike: with
 * a size limit, as one object of bounded depth, and field by field with a message that names the
 * field and what was expected; no message contains a piece of the body.
 */
public final class JsonBody {

  /** Deeper nesting than any valid document has is refused before parsing. */
  public static final int MAX_DEPTH = 16;

  private static final JsonProvider JSON = JsonProvider.provider();

  private JsonBody() {}

  /** Reads a request body, refusing one larger than {@code limit} bytes. */
  public static byte[] read(InputStream in, int limit) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 8192));
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) != -1) {
        if (out.size() + n > limit) {
          throw new InvalidInputException("request body is larger than " + limit + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The deepest nesting of arrays and objects in a JSON text, ignoring brackets in strings. */
  public static int depth(byte[] json) {
    int depth = 0;
    int max = 0;
    boolean inString = false;
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        max = Math.max(max, ++depth);
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
    return max;
  }

  /**
   * Parses a body that must be one JSON object, refusing empty, too deeply nested or malformed
   * input, or more after the object, with {@link InvalidInputException}. The management API's one
   * reader of JSON bodies: no message it produces contains a piece of the body (a parser's own
   * message may quote it, and a secret's value must never be shown), only a position.
   */
  public static JsonObject object(byte[] body) {
    if (body == null || body.length == 0) {
      throw new InvalidInputException("request body is empty: a JSON object is expected");
    }
    if (depth(body) > MAX_DEPTH) {
      throw new InvalidInputException(
          "request body is nested deeper than " + MAX_DEPTH + " levels");
    }
    JsonValue value;
    try (JsonParser p = JSON.createParser(new ByteArrayInputStream(body))) {
      p.next();
      value = p.getValue();
      if (p.hasNext()) {
        throw new InvalidInputException("request body has more after its JSON value");
      }
    } catch (JsonParsingException e) {
      JsonLocation at = e.getLocation();
      throw new InvalidInputException(
          at == null
              ? "request body is not valid JSON"
              : "request body is not valid JSON (line "
                  + at.getLineNumber()
                  + ", column "
                  + at.getColumnNumber()
                  + ")");
    } catch (JsonException | IllegalStateException | NoSuchElementException e) {
      throw new InvalidInputException("request body is not valid JSON");
    }
    if (!(value instanceof JsonObject o)) {
      throw new InvalidInputException(
          "request body must be a JSON object, not " + value.getValueType().name().toLowerCase());
    }
    return o;
  }

  public static String string(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw new InvalidInputException("field '" + field + "' must be a string");
  }

  public static boolean bool(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return false;
    }
    if (v.getValueType() == JsonValue.ValueType.TRUE) {
      return true;
    }
    if (v.getValueType() == JsonValue.ValueType.FALSE) {
      return false;
    }
    throw new InvalidInputException("field '" + field + "' must be true or false");
  }

  public static Map<String, String> stringMap(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return Map.of();
    }
    if (!(v instanceof JsonObject m)) {
      throw new InvalidInputException("field '" + field + "' must be an object of strings");
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> e : m.entrySet()) {
      if (!(e.getValue() instanceof JsonString s)) {
        throw new InvalidInputException(
            "field '" + field + "." + FunctionNames.printable(e.getKey()) + "' must be a string");
      }
      result.put(e.getKey(), s.getString());
    }
    return result;
  }

  public static List<String> stringList(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return List.of();
    }
    if (!(v instanceof JsonArray a)) {
      throw new InvalidInputException("field '" + field + "' must be an array of strings");
    }
    List<String> result = new ArrayList<>();
    for (JsonValue item : a) {
      if (!(item instanceof JsonString s)) {
        throw new InvalidInputException("field '" + field + "' must be an array of strings");
      }
      result.add(s.getString());
    }
    return result;
  }
}
