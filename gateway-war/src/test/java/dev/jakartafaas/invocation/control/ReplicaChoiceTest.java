package dev.jakartafaas.invocation.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaChoiceTest {

  private static int[] loads(String spec) {
    return Arrays.stream(spec.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // title | in flight | excluded | ticket | chosen
        "one replica|5|-1|7|0",
        "one replica even if excluded|0|0|3|0",
        "fewest in flight wins|3 1 2|-1|0|1",
        "fewest in flight wins whatever the ticket|3 1 2|-1|99|1",
        "ties rotate with the ticket 0|0 0 0|-1|0|0",
        "ties rotate with the ticket 1|0 0 0|-1|1|1",
        "ties rotate with the ticket 2|0 0 0|-1|2|2",
        "ties rotate with the ticket 3|0 0 0|-1|3|0",
        "only tied minimums rotate|1 0 2 0|-1|1|3",
        "excluded replica is skipped|0 5 5|0|0|1",
        "excluded replica is skipped though idle|0 1|0|4|1",
        "negative tickets still work|0 0|-1|-1|1",
      })
  void choosesTheLeastBusyReplicaAndRotatesTies(
      String title, String inFlight, int excluded, long ticket, int chosen) {
    assertEquals(chosen, ReplicaChoice.choose(loads(inFlight), excluded, ticket));
  }

  @Test
  void sequentialRequestsSpreadEvenlyOverIdleReplicas() {
    Map<Integer, Integer> hits = new HashMap<>();
    for (long ticket = 0; ticket < 300; ticket++) {
      hits.merge(ReplicaChoice.choose(new int[] {0, 0, 0}, -1, ticket), 1, Integer::sum);
    }
    assertEquals(Map.of(0, 100, 1, 100, 2, 100), hits);
  }
}
