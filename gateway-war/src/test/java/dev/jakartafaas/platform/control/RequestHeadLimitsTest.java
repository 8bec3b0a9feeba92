package dev.jakartafaas.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestHeadLimitsTest {

  @ParameterizedTest(name = "target {0}, headers {1} -> {2}")
  @CsvSource({
    "1, 0, 0",
    "8192, 65536, 0",
    "8193, 0, 414",
    "9000, 70000, 414",
    "100, 65537, 431",
  })
  void refusesTooLongAddressesAndHeaders(long target, long headers, int status) {
    assertEquals(
        status,
        RequestHeadLimits.check(target, headers).map(RequestHeadLimits.Refusal::status).orElse(0));
  }

  @ParameterizedTest
  @CsvSource({"9000, 0, 'the request''s address is 9000 characters long'"})
  void saysWhatIsTooLong(long target, long headers, String message) {
    assertEquals(
        true, RequestHeadLimits.check(target, headers).orElseThrow().message().startsWith(message));
  }
}
