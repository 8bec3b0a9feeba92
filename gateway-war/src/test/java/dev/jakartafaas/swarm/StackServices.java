package dev.jakartafaas.swarm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the Docker CLI says of a stack's function services, as the swarm system tests read it: the
 * tasks meant to run, their states, nodes and images, the containers on one engine.
 */
final class StackServices {

  /**
   * A task that the swarm wants running: its node's host name (empty while pending), state, image.
   */
  record Task(String node, String state, String image) {
    boolean running() {
      return state.startsWith("Running");
    }
  }

  private final Commands docker;
  private final String stack;

  StackServices(Commands docker, String stack) {
    this.docker = docker;
    this.stack = stack;
  }

  /** The function's tasks with desired state running. */
  List<Task> tasks(String function) {
    List<Task> tasks = new ArrayList<>();
    for (String line :
        Commands.lines(
            docker.unchecked(
                "docker",
                "service",
                "ps",
                "--filter",
                "desired-state=running",
                "--format",
                "{{.Node}}|{{.CurrentState}}|{{.Image}}",
                stack + "_" + function))) {
      String[] parts = line.split("\\|", -1);
      tasks.add(new Task(parts[0], parts[1], parts[2]));
    }
    return tasks;
  }

  /** The images of the function's tasks once all run; a marker while some do not. */
  Set<String> runningImages(String function) {
    Set<String> images = new HashSet<>();
    for (Task t : tasks(function)) {
      if (!t.running()) {
        return Set.of("(not all running)");
      }
      images.add(t.image());
    }
    return images;
  }

  /** The ids of the function's containers on this engine. */
  List<String> containers(String function) {
    return Commands.lines(
        docker.unchecked(
            "docker",
            "ps",
            "-q",
            "--filter",
            "label=com.docker.swarm.service.name=" + stack + "_" + function));
  }

  /** The ids of the function's services (one, or none once removed). */
  List<String> services(String function) {
    return Commands.lines(
        docker.unchecked(
            "docker", "service", "ls", "-q", "--filter", "name=" + stack + "_" + function));
  }
}
