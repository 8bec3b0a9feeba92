package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.Resources;
import dev.jakartafaas.problems.entity.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaLimitsTest {

  private static FunctionDeployment limited(String memory, String cpu) {
    return new FunctionDeployment(
        "f", "", "cat", null, null, null, null, null, new Resources(memory, cpu), null, false);
  }

  @ParameterizedTest(name = "limits memory={0} cpu={1}, defaults {2}/{3}: {4} bytes, {5} us")
  @CsvSource(
      nullValues = "-",
      value = {
        // memory, cpu, default memory, default cpu, bytes, quota per 100 ms
        "-,      -,     '',   '',    -,         -",
        "128m,   -,     '',   '',    134217728, -",
        "128Mi,  0.25,  '',   '',    134217728, 25000",
        "1G,     2,     '',   '',    1073741824, 200000",
        "-,      500m,  '',   '',    -,         50000",
        "-,      0.001, '',   '',    -,         1000",
        "-,      1m,    '',   '',    -,         1000",
        "-,      -,     256m, 0.5,   268435456, 50000",
        "64m,    -,     256m, 0.5,   67108864,  50000",
        "'',     '',    256m, 1,     268435456, 100000",
      })
  void takesTheDeploymentsLimitsOrTheDefaults(
      String memory, String cpu, String defMemory, String defCpu, Long bytes, Long quota) {
    ReplicaLimits l = ReplicaLimits.of(limited(memory, cpu), 64, defMemory, defCpu);
    assertEquals(new ReplicaLimits(64, bytes, quota), l);
  }

  @Test
  void aDeploymentWithoutLimitsGetsTheDefaults() {
    assertEquals(
        new ReplicaLimits(100, 268435456L, 50000L),
        ReplicaLimits.of(FunctionDeployment.of("f", "cat"), 100, "256m", "0.5"));
    assertEquals(
        new ReplicaLimits(100, null, null),
        ReplicaLimits.of(FunctionDeployment.of("f", "cat"), 100, "", ""));
  }

  @ParameterizedTest
  @CsvSource({"lots, 1", "128m, fast", "0, 1", "128m, 0", "-1m, 1"})
  void malformedFiguresAreBadInput(String memory, String cpu) {
    assertThrows(
        InvalidInputException.class, () -> ReplicaLimits.of(limited(memory, cpu), 64, "", ""));
  }

  @Test
  void aProcessLimitBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ReplicaLimits(0, null, null));
  }
}
