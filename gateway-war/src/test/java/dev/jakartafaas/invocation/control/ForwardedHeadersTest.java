package dev.jakartafaas.invocation.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardedHeadersTest {

  @ParameterizedTest(name = "{0}: request {1}, response {2}")
  @CsvSource({
    "Content-Type, true, true",
    "Accept, true, true",
    "Authorization, true, true",
    "X-Custom, true, true",
    "Connection, false, false",
    "Keep-Alive, false, false",
    "Proxy-Authorization, false, false",
    "Proxy-Authenticate, false, false",
    "Proxy-Connection, false, false",
    "TE, false, false",
    "Trailer, false, false",
    "Transfer-Encoding, false, false",
    "Upgrade, false, false",
    "Content-Length, false, false",
    "Host, false, true",
    "Expect, false, true",
    "X-Call-Id, false, false",
    "X-Start-Time, false, false",
    "X-Forwarded-For, false, true",
    "X-Duration-Seconds, true, true",
    "x-forwarded-host, true, true",
    "X-Named-By-Connection, false, false",
  })
  void dropsHopByHopHeadersAndThoseTheProxySets(String name, boolean request, boolean response) {
    Set<String> tokens = ForwardedHeaders.connectionTokens("keep-alive, X-Named-By-Connection");
    assertEquals(request, ForwardedHeaders.forwardRequest(name, tokens), "request");
    assertEquals(response, ForwardedHeaders.forwardResponse(name, tokens), "response");
  }

  @Test
  void readsConnectionTokens() {
    assertEquals(Set.of("close", "x-a"), ForwardedHeaders.connectionTokens(" close ,X-A,, "));
    assertEquals(Set.of(), ForwardedHeaders.connectionTokens(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0b1f-22", "call.1:2_3", "a"})
  void keepsAWellFormedCallIdFromTheCaller(String id) {
    assertEquals(id, ForwardedHeaders.callId(id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "a\nb", "ü", "semi;colon"})
  void replacesAMissingOrMalformedCallId(String id) {
    String created = ForwardedHeaders.callId(id);
    assertNotEquals(id, created);
    assertEquals(4, UUID.fromString(created).version());
    assertEquals(2, UUID.fromString(created).variant());
  }

  @Test
  void createsDistinctCallIds() {
    assertNotEquals(ForwardedHeaders.callId(null), ForwardedHeaders.callId(null));
    assertTrue(ForwardedHeaders.callId("x".repeat(129)).length() == 36);
  }

  @ParameterizedTest
  @CsvSource({"text/plain, true", "'a\rb', false", "'a\nb', false"})
  void onlySingleLineValuesAreSafe(String value, boolean safe) {
    assertEquals(safe, ForwardedHeaders.isSafeValue(value));
  }
}
