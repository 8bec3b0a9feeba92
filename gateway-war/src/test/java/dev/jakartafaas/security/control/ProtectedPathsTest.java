package dev.jakartafaas.security.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProtectedPathsTest {

  @ParameterizedTest(name = "{0} (functions protected: {1}, healthz protected: {2}) -> {3}")
  @CsvSource({
    "/system/functions, false, false, true",
    "/system, false, false, true",
    "/ui/index.html, false, false, true",
    "/ui/, false, false, true",
    "'', false, false, true",
    "/, false, false, true",
    "/unknown, false, false, true",
    "/functions, false, false, true",
    "/function-x, false, false, true",
    "/healthzz, false, false, true",
    "/function/echoit, false, false, false",
    "/function, false, false, false",
    "/function/echoit/a/b, false, false, false",
    "/async-function/echoit, false, false, false",
    "/healthz, false, false, false",
    "/function/echoit, true, false, true",
    "/async-function/echoit, true, false, true",
    "/healthz, false, true, true",
  })
  void deniesByDefaultAndOpensOnlyInvocationsAndHealth(
      String path, boolean functions, boolean healthz, boolean protectedPath) {
    assertEquals(
        protectedPath, new ProtectedPaths(functions, healthz).requiresCredentials(path), path);
  }
}
