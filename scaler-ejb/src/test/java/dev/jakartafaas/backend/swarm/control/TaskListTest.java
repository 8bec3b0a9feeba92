package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jakartafaas.backend.swarm.entity.SwarmTask;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskListTest {

  private static final String TASKS =
      """
      [{"ID":"t1","ServiceID":"s1","Slot":2,"DesiredState":"running",
        "Status":{"State":"running","ContainerStatus":{"ContainerID":"c1"}},
        "NetworksAttachments":[
          {"Network":{"ID":"n0","Spec":{"Name":"ingress"}},"Addresses":["10.0.0.9/24"]},
          {"Network":{"ID":"n1","Spec":{"Name":"faas_functions"}},"Addresses":["10.0.1.5/24"]}]},
       {"ID":"t2","ServiceID":"s1","DesiredState":"shutdown","Status":{"State":"preparing"}}]
      """;

  @Test
  void readsTheAddressOnTheFunctionsNetwork() {
    assertEquals(
        List.of(
            new SwarmTask("t1", "s1", 2, "running", "running", "10.0.1.5"),
            new SwarmTask("t2", "s1", 0, "shutdown", "preparing", "")),
        TaskList.parse(TASKS, "faas_functions"));
  }

  @Test
  void taskOnAnotherNetworkHasNoAddress() {
    assertEquals("", TaskList.parse(TASKS, "functions").get(0).address());
  }

  @Test
  void emptyListIsNoTasks() {
    assertEquals(List.of(), TaskList.parse("[]", "functions"));
  }

  @Test
  void rejectsTextThatIsNotAnArray() {
    assertThrows(
        IllegalArgumentException.class, () -> TaskList.parse("{\"message\":\"x\"}", "functions"));
  }
}
