package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jakartafaas.problems.entity.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

  @ParameterizedTest
  @CsvSource({
    "1048576, 1048576",
    "128m, 134217728",
    "128M, 134217728",
    "128Mi, 134217728",
    "128MB, 134217728",
    "1g, 1073741824",
    "1.5Gi, 1610612736",
    "64k, 65536",
  })
  void readsMemoryInBinaryUnits(String figure, long bytes) {
    assertEquals(bytes, Quantities.memoryBytes(figure));
  }

  @ParameterizedTest
  @CsvSource({"1, 1000000000", "0.5, 500000000", "500m, 500000000", "2.25, 2250000000"})
  void readsCpuAsCoresOrMillicores(String figure, long nanos) {
    assertEquals(nanos, Quantities.nanoCpus(figure));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void absentFiguresAreNull(String figure) {
    assertNull(Quantities.memoryBytes(figure));
    assertNull(Quantities.nanoCpus(figure));
  }

  @ParameterizedTest
  @ValueSource(strings = {"lots", "-1m", "12x", "0", "1..2g"})
  void rejectsBadMemoryWith400(String figure) {
    assertEquals(
        400,
        assertThrows(InvalidInputException.class, () -> Quantities.memoryBytes(figure)).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"fast", "-1", "1k", "0", "0m"})
  void rejectsBadCpuWith400(String figure) {
    assertEquals(
        400, assertThrows(InvalidInputException.class, () -> Quantities.nanoCpus(figure)).status());
  }
}
