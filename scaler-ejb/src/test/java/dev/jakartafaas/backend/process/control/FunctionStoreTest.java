package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionStoreTest {

  @TempDir Path data;

  private static FunctionState state(String name, int replicas) {
    return new FunctionState(
        FunctionDeployment.of(name, "cat").withLabels(Map.of("k", "v")),
        replicas,
        0,
        Instant.parse("2025-05-06T07:08:09Z"));
  }

  @Test
  void savedFunctionsComeBack() {
    FunctionStore store = new FunctionStore(data);
    store.save(state("echoit", 3));
    store.save(state("wordcount", 1));
    store.save(state("echoit", 2));
    List<FunctionState> loaded = new FunctionStore(data).loadAll();
    loaded.sort(Comparator.comparing(FunctionState::name));
    assertEquals(List.of(state("echoit", 2), state("wordcount", 1)), loaded);
  }

  @Test
  void deletedFunctionsStayGone() {
    FunctionStore store = new FunctionStore(data);
    store.save(state("echoit", 1));
    store.delete("echoit");
    store.delete("never-there");
    assertEquals(List.of(), store.loadAll());
    assertFalse(Files.exists(data.resolve("functions/echoit.json")));
  }

  @Test
  void skipsUnreadableAndMisnamedFiles() throws Exception {
    FunctionStore store = new FunctionStore(data);
    store.save(state("good", 1));
    Files.writeString(data.resolve("functions/broken.json"), "{not json");
    Files.copy(data.resolve("functions/good.json"), data.resolve("functions/other.json"));
    assertEquals(List.of(state("good", 1)), store.loadAll());
  }

  @Test
  void anEmptyDataDirectoryHoldsNoFunctions() {
    assertEquals(List.of(), new FunctionStore(data.resolve("absent")).loadAll());
  }
}
