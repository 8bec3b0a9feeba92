package dev.jakartafaas.security.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboundUrlTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "http://example.com, http, example.com, 80, /, example.com",
    "https://Example.COM/hook?a=1&b=%20, https, example.com, 443, /hook?a=1&b=%20, example.com",
    "HTTP://example.com:8080/a/b, http, example.com, 8080, /a/b, example.com:8080",
    "http://127.0.0.1:9000/cb, http, 127.0.0.1, 9000, /cb, 127.0.0.1:9000",
    "http://[::1]:9000/cb, http, ::1, 9000, /cb, [::1]:9000",
    "https://example.com:443/#frag, https, example.com, 443, /, example.com",
    "http://2130706434/, http, 2130706434, 80, /, 2130706434",
  })
  void parsesHttpAndHttpsUrls(
      String text, String scheme, String host, int port, String target, String authority) {
    OutboundUrl u = OutboundUrl.parse(text);
    assertEquals(new OutboundUrl(scheme, host, port, target), u);
    assertEquals(authority, u.authority());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "file:///etc/passwd, only http and https",
    "gopher://example.com:70/_x, only http and https",
    "ftp://example.com/, only http and https",
    "dict://example.com:11211/, only http and https",
    "jar:http://example.com/x!/y, only http and https",
    "mailto:a@example.com, only http and https",
    "//example.com/x, only http and https",
    "/relative, only http and https",
    "example.com, only http and https",
    "http:example.com, no valid host",
    "http:///x, no valid host",
    "http://a_b.example/, no valid host",
    "http://user:pw@example.com/, user information",
    "http://example.com:0/, port is out of range",
    "http://example.com:65536/, port is out of range",
    "http://example.com/a b, space",
    "'http://example.com/\r\nX: y', space",
    "http://exämple.com/, non-ASCII",
    "http://[::1/, malformed",
    "'', empty",
  })
  void refusesAnythingButAbsoluteHttpAndHttpsWithAHost(String text, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OutboundUrl.parse(text));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void refusesOverlongUrls() {
    String text = "http://example.com/" + "a".repeat(OutboundUrl.MAX_LENGTH);
    assertThrows(IllegalArgumentException.class, () -> OutboundUrl.parse(text));
  }
}
