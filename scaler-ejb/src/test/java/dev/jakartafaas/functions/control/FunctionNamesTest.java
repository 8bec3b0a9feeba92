package dev.jakartafaas.functions.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.problems.entity.FaasException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FunctionNamesTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "echoit, true",
    "a, true",
    "0, true",
    "word-count, true",
    "a1-b2-c3, true",
    "Echoit, false",
    "-a, false",
    "a-, false",
    "a_b, false",
    "a.b, false",
    "a/b, false",
    "'..', false",
    "%2e%2e, false",
    "'a b', false",
    "ｅｃｈｏ, false",
    "é, false",
    "'', false",
  })
  void acceptsOnlyDns1123Labels(String name, boolean valid) {
    assertEquals(valid, FunctionNames.isValid(name));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 62, 63})
  void acceptsUpTo63Characters(int length) {
    assertTrue(FunctionNames.isValid("a".repeat(length)));
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 200})
  void rejectsNamesLongerThan63Characters(int length) {
    assertThrows(InvalidInputException.class, () -> FunctionNames.require("a".repeat(length)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"echoit, echoit", "echoit.openfaas-fn, echoit", "a-1.openfaas-fn, a-1"})
  void resolvesNameAndNamespaceReferences(String reference, String name) {
    assertEquals(name, FunctionNames.resolve(reference));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "echoit.other, 404",
    "echoit.openfaas, 404",
    "echoit., 400",
    ".openfaas-fn, 400",
    "Echoit.openfaas-fn, 400",
    "'', 400",
    "a\u0000b, 400",
  })
  void rejectsBadReferencesWithTheRightStatus(String reference, int status) {
    FaasException e = assertThrows(FaasException.class, () -> FunctionNames.resolve(reference));
    assertEquals(status, e.status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", FunctionNames.NAMESPACE})
  void acceptsTheOneNamespaceOrNone(String namespace) {
    FunctionNames.requireNamespace(namespace);
    FunctionNames.requireNamespace(null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "openfaas", "kube-system"})
  void answers404ForAnyOtherNamespace(String namespace) {
    assertThrows(FunctionNotFoundException.class, () -> FunctionNames.requireNamespace(namespace));
  }

  @Test
  void printableNeutralisesControlCharactersAndShortens() {
    assertEquals("a?b?c", FunctionNames.printable("a\nb\rc"));
    assertEquals("x".repeat(80) + "...", FunctionNames.printable("x".repeat(81)));
  }
}
