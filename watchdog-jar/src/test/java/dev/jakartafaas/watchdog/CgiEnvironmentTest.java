package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CgiEnvironmentTest {

  private static final CgiEnvironment.Request POST =
      new CgiEnvironment.Request("POST", "/fn/echo", "a=1&b=2", "example.com:8080", 42);

  @ParameterizedTest
  @CsvSource({
    "Content-Type, Http_Content_Type",
    "x-custom-thing, Http_X_Custom_Thing",
    "X-FORWARDED-FOR, Http_X_Forwarded_For",
    "Accept, Http_Accept",
    "X-Call-Id2, Http_X_Call_Id2",
    "A--B, Http_A__B",
  })
  void namesHeaderVariables(String header, String variable) {
    assertEquals(variable, CgiEnvironment.variableName(header));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "X.Dotted",
        "X Space",
        "X=Equals",
        "X;Semi",
        "Ünïcode",
        "X/Slash",
        "$",
        "Proxy",
        "proxy",
        "X-Forwarded_For",
        "Under_score"
      })
  void dropsHeadersWhoseNameWouldBeUnsafe(String header) {
    assertNull(CgiEnvironment.variableName(header));
  }

  @Test
  void setsPlatformVariablesFromRequest() {
    Map<String, String> env = CgiEnvironment.build(Map.of("PATH", "/bin"), POST, Map.of());

    assertEquals("POST", env.get("Http_Method"));
    assertEquals("/fn/echo", env.get("Http_Path"));
    assertEquals("a=1&b=2", env.get("Http_Query"));
    assertEquals("example.com:8080", env.get("Http_Host"));
    assertEquals("42", env.get("Http_ContentLength"));
    assertEquals("42", env.get("Http_Content_Length"));
    assertEquals("/bin", env.get("PATH"));
  }

  /** The classic's lengths: 0 without a body, -1 for a chunked one (however long it was). */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET, , 0, 0",
    "DELETE, , 0, 0",
    "POST, Content-Length=5, 5, 5",
    "POST, Transfer-Encoding=chunked, 123, -1",
    "PUT, transfer-encoding=chunked, 0, -1",
  })
  void setsBothContentLengthsAsTheClassicWatchdog(
      String method, String header, long counted, String expected) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (header != null) {
      String[] kv = header.split("=");
      headers.put(kv[0], List.of(kv[1]));
    }
    Map<String, String> env =
        CgiEnvironment.build(
            Map.of(), new CgiEnvironment.Request(method, "/", null, "h", counted), headers);
    assertEquals(expected, env.get("Http_ContentLength"));
    assertEquals(expected, env.get("Http_Content_Length"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/p%20q/r%2Fs|/p q/r/s",
        "/plain/path|/plain/path",
        "/a+b|/a+b",
        "/caf%C3%A9|/café",
        "/%41%62%2f|/Ab/",
        "/odd%zz|/odd%zz",
        "/end%4|/end%4",
        "/raw-é|/raw-é",
      })
  void passesThePathDecodedAsTheClassicWatchdog(String raw, String decoded) {
    assertEquals(decoded, CgiEnvironment.decodePath(raw));
    Map<String, String> env =
        CgiEnvironment.build(
            Map.of(), new CgiEnvironment.Request("GET", raw, null, "h", 0), Map.of());
    assertEquals(decoded, env.get("Http_Path"));
  }

  @Test
  void headersNeverOverridePlatformVariables() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Method", List.of("DELETE"));
    headers.put("Path", List.of("/evil"));
    headers.put("Query", List.of("evil=1"));
    headers.put("Host", List.of("evil.example"));
    headers.put("ContentLength", List.of("999"));
    headers.put("Content-Length", List.of("999"));

    Map<String, String> env = CgiEnvironment.build(Map.of(), POST, headers);

    assertEquals("POST", env.get("Http_Method"));
    assertEquals("/fn/echo", env.get("Http_Path"));
    assertEquals("a=1&b=2", env.get("Http_Query"));
    assertEquals("example.com:8080", env.get("Http_Host"));
    assertEquals("42", env.get("Http_ContentLength"));
    assertEquals("42", env.get("Http_Content_Length"));
  }

  @Test
  void headerCannotSupplyQueryWhenRequestHasNone() {
    CgiEnvironment.Request noQuery = new CgiEnvironment.Request("GET", "/", null, null, 0);

    Map<String, String> env =
        CgiEnvironment.build(
            Map.of("Http_Query", "from-base"),
            noQuery,
            Map.of("Query", List.of("evil=1"), "Host", List.of("evil")));

    assertFalse(env.containsKey("Http_Query"), env.toString());
    assertFalse(env.containsKey("Http_Host"), env.toString());
  }

  @Test
  void headersOnlyEverAddSafeHttpVariables() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("PATH", List.of("/evil"));
    headers.put("LD_PRELOAD", List.of("/evil.so"));
    headers.put("X.Dotted", List.of("dropped"));
    headers.put("X-Custom-Thing", List.of("one", "two"));
    Map<String, String> base = Map.of("PATH", "/bin", "HOME", "/root");

    Map<String, String> env = CgiEnvironment.build(base, POST, headers);

    assertEquals("/bin", env.get("PATH"));
    assertEquals("/root", env.get("HOME"));
    assertEquals("one", env.get("Http_X_Custom_Thing"), "the first value, as the classic's");
    assertFalse(env.containsKey("Http_Ld_preload"), "names with _ are left out");
    assertFalse(env.containsValue("/evil.so"), env.toString());
    for (String name : env.keySet()) {
      assertTrue(
          base.containsKey(name) || name.matches("Http_[A-Za-z0-9_]+"), "unexpected " + name);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\0b", "a\rb", "a\nb", "\n", "trailing\r"})
  void findsHeaderValueWithNulCrOrLf(String value) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("X-Good", List.of("fine"));
    headers.put("X-Bad", List.of("fine", value));

    assertEquals("X-Bad", CgiEnvironment.firstUnsafeHeader(headers));
  }

  @Test
  void findsHeaderNameWithControlCharacter() {
    assertEquals("X\nBad", CgiEnvironment.firstUnsafeHeader(Map.of("X\nBad", List.of("v"))));
  }

  @Test
  void acceptsOrdinaryHeaders() {
    assertNull(
        CgiEnvironment.firstUnsafeHeader(
            Map.of("X-Tab", List.of("a\tb"), "Accept", List.of("*/*", "text/html; q=0.9"))));
  }
}
