package dev.jakartafaas.backend.process.control;

import static dev.jakartafaas.backend.process.control.ReplicaState.READY;
import static dev.jakartafaas.backend.process.control.ReplicaState.STARTING;
import static dev.jakartafaas.backend.process.control.ReplicaState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jakartafaas.backend.process.control.ReplicaPlan.Decision;
import dev.jakartafaas.backend.process.control.ReplicaPlan.Replica;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaPlanTest {

  /**
   * Replicas as {@code name:generation:state:startedSecond}, space separated; {@code -} for none.
   */
  private static List<Replica> replicas(String spec) {
    List<Replica> list = new ArrayList<>();
    if (spec == null || spec.equals("-")) {
      return list;
    }
    for (String r : spec.trim().split("\\s+")) {
      String[] f = r.split(":");
      list.add(
          new Replica(
              f[0],
              Long.parseLong(f[1]),
              switch (f[2]) {
                case "S" -> STARTING;
                case "R" -> READY;
                default -> STOPPING;
              },
              Instant.ofEpochSecond(Long.parseLong(f[3]))));
    }
    return list;
  }

  private static List<String> names(String spec) {
    return spec == null || spec.equals("-") ? List.of() : List.of(spec.trim().split("\\s+"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // title | desired | generation | replicas | mayStart | start | stop
        "new function starts one|1|0|-|true|1|-",
        "steady state does nothing|2|0|a:0:R:1 b:0:R:2|true|0|-",
        "scale up starts the difference|3|0|a:0:R:1|true|2|-",
        "starting replicas count as present|3|0|a:0:R:1 b:0:S:2 c:0:S:3|true|0|-",
        "stopping replicas do not count|2|0|a:0:R:1 b:0:X:2|true|1|-",
        "scale down stops the newest ready|1|0|a:0:R:1 b:0:R:2 c:0:R:3|true|0|c b",
        "scale down stops starting ones first|2|0|a:0:R:1 b:0:R:2 c:0:S:3|true|0|c",
        "scale to zero stops all|0|0|a:0:R:1 b:0:S:2|true|0|b a",
        "backoff holds starts|2|0|a:0:R:1|false|0|-",
        "update starts new ones and keeps old|2|1|a:0:R:1 b:0:R:2|true|2|-",
        "update retires one old per ready new|2|1|a:0:R:1 b:0:R:2 c:1:R:3 d:1:S:4|true|0|a",
        "update retires all old when new are ready|2|1|a:0:R:1 b:0:R:2 c:1:R:3 d:1:R:4|true|0|b a",
        "old starting replicas stop at once|1|1|a:0:S:1 b:1:S:2|true|0|a",
      })
  void convergesOnTheDesiredCountAndGeneration(
      String title,
      int desired,
      long generation,
      String replicas,
      boolean mayStart,
      int start,
      String stop) {
    Decision d = ReplicaPlan.decide(desired, generation, replicas(replicas), mayStart);
    assertEquals(start, d.start(), "start");
    assertEquals(names(stop), d.stop(), "stop");
  }

  @ParameterizedTest(name = "{0} failures wait {1} ms")
  @CsvSource({"0, 0", "1, 0", "2, 250", "3, 500", "4, 1000", "8, 16000", "9, 30000", "50, 30000"})
  void backsOffExponentiallyUpTo30Seconds(int failures, long millis) {
    assertEquals(Duration.ofMillis(millis), ReplicaPlan.backoff(failures));
  }
}
