package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jakartafaas.backend.entity.LogLine;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ServiceLogLinesTest {

  @Test
  void readsTimestampTaskAndText() {
    assertEquals(
        new LogLine("echoit", "t9", Instant.parse("2026-11-26T17:50:00.123456789Z"), "hello world"),
        ServiceLogLines.parse(
            "echoit",
            "2026-11-26T17:50:00.123456789Z com.docker.swarm.node.id=n1,"
                + "com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t9 hello world\n"));
  }

  @Test
  void lineWithoutDetailsKeepsItsText() {
    assertEquals(
        new LogLine("f", "", Instant.parse("2026-11-26T17:50:00Z"), "plain"),
        ServiceLogLines.parse("f", "2026-11-26T17:50:00Z plain"));
  }

  @Test
  void lineWithoutTimestampIsKeptWhole() {
    assertEquals(
        new LogLine("f", "", Instant.EPOCH, "no time here"),
        ServiceLogLines.parse("f", "no time here\r\n"));
  }
}
