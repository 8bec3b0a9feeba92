package dev.jakartafaas.invocation.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Splitting an invocation's address into the function and the path after it. */
class FunctionPathTest {

  @ParameterizedTest(name = "{0} under \"{1}\" -> {3} {4}")
  @CsvSource({
    "/function/echoit, '', /function/, echoit, /",
    "/function/echoit/, '', /function/, echoit, /",
    "/function/echoit/a/b, '', /function/, echoit, /a/b",
    "/function/echoit.openfaas-fn/x, '', /function/, echoit.openfaas-fn, /x",
    "/function/, '', /function/, '', /",
    "/function, '', /function/, '', /",
    "/gw/function/echoit/x, /gw, /function/, echoit, /x",
    "/async-function/echoit/x?, '', /async-function/, echoit, /x?",
    "/async-function/echoit, '', /async-function/, echoit, /",
  })
  void splitsTheFunctionFromThePathAfterIt(
      String uri, String context, String prefix, String reference, String path) {
    assertEquals(new FunctionPath(reference, path), FunctionPath.parse(uri, context, prefix));
  }
}
