package dev.jakartafaas.security.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProtectedPathsTest {

  @ParameterizedTest(
      name =
          "{0} (functions protected: {1}, healthz protected: {2}, metrics protected: {3}) -> {4}")
  @CsvSource({
    "/system/functions, false, false, false, true",
    "/system, false, false, false, true",
    "/ui/index.html, false, false, false, true",
    "/ui/, false, false, false, true",
    "'', false, false, false, true",
    "/, false, false, false, true",
    "/unknown, false, false, false, true",
    "/functions, false, false, false, true",
    "/function-x, false, false, false, true",
    "/healthzz, false, false, false, true",
    "/function/echoit, false, false, false, false",
    "/function, false, false, false, false",
    "/function/echoit/a/b, false, false, false, false",
    "/async-function/echoit, false, false, false, false",
    "/healthz, false, false, false, false",
    "/function/echoit, true, false, false, true",
    "/async-function/echoit, true, false, false, true",
    "/healthz, false, true, false, true",
    "/metrics, false, false, false, false",
    "/metrics/base, false, false, false, false",
    "/metrics, false, false, true, true",
    "/metricsx, false, false, false, true",
    "/health, false, false, false, true",
    "/openapi, false, false, false, true",
  })
  void deniesByDefaultAndOpensOnlyInvocationsAndHealth(
      String path, boolean functions, boolean healthz, boolean metrics, boolean protectedPath) {
    assertEquals(
        protectedPath,
        new ProtectedPaths(functions, healthz, metrics).requiresCredentials(path),
        path);
  }
}
