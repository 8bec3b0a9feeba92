package dev.jakartafaas.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Docker Swarm of several nodes on this machine for the multi-node system tests, made and removed
 * by {@code stack/swarm-nodes.sh} (docs/swarm.md, "A swarm of several nodes on one machine"): node
 * 1 the manager, the others workers, each a Docker engine in a network namespace of its own. {@link
 * #close} removes it, and so does a shutdown hook when the JVM ends first; {@link #up} removes what
 * an earlier run that was killed left.
 */
final class SwarmNodes implements AutoCloseable {

  /** The cluster's name: namespaces {@code faasit-1} .. {@code faasit-N}, {@code faasit-sw}. */
  static final String NAME = "faasit";

  private static final String SUBNET = System.getProperty("swarm.nodes.subnet", "10.213.0");
  private static final Commands LOCAL = Commands.local();

  final int nodes;
  private final Thread hook = new Thread(SwarmNodes::downQuietly, "swarm-nodes-down");
  private boolean closed;

  private SwarmNodes(int nodes) {
    this.nodes = nodes;
  }

  /** Makes the cluster and copies the images from this machine's engine to every node. */
  static SwarmNodes up(int nodes, List<String> images) throws IOException, InterruptedException {
    down();
    SwarmNodes cluster = new SwarmNodes(nodes);
    Runtime.getRuntime().addShutdownHook(cluster.hook);
    try {
      LOCAL.run(
          Duration.ofMinutes(4),
          "bash",
          "stack/swarm-nodes.sh",
          "up",
          "--name",
          NAME,
          "--subnet",
          SUBNET,
          "--nodes",
          Integer.toString(nodes),
          "--images",
          String.join(" ", images));
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The address of node {@code n} (1 is the manager) on the cluster's network. */
  String address(int n) {
    return SUBNET + "." + (10 + n);
  }

  /** The host name of node {@code n}, as {@code docker node ls} shows it. */
  String hostname(int n) {
    return NAME + "-" + n;
  }

  /** Commands that talk to node {@code n}'s engine. */
  Commands on(int n) {
    return new Commands(
        Map.of("DOCKER_HOST", "unix:///run/faas-nodes/" + NAME + "/node-" + n + "/docker.sock"));
  }

  /** Commands that talk to the manager's engine. */
  Commands manager() {
    return on(1);
  }

  /** SIGKILLs node {@code n}'s engine and everything it runs: the node is lost. */
  void kill(int n) throws IOException, InterruptedException {
    LOCAL.run(
        Duration.ofMinutes(1),
        "bash",
        "stack/swarm-nodes.sh",
        "kill",
        Integer.toString(n),
        "--name",
        NAME);
  }

  /** Cuts node {@code n} off the network, or puts it back: as when a machine's link fails. */
  void isolate(int n, boolean isolated) throws IOException, InterruptedException {
    LOCAL.run(
        Duration.ofSeconds(30),
        "bash",
        "stack/swarm-nodes.sh",
        isolated ? "isolate" : "reconnect",
        Integer.toString(n),
        "--name",
        NAME);
  }

  /** Removes the cluster and checks that nothing of it is left. */
  @Override
  public void close() throws IOException, InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs down itself
    }
    down();
    assertEquals(List.of(), leftovers(), "left behind by " + NAME);
  }

  private static void down() throws IOException, InterruptedException {
    LOCAL.run(Duration.ofMinutes(2), "bash", "stack/swarm-nodes.sh", "down", "--name", NAME);
  }

  private static void downQuietly() {
    try {
      down();
    } catch (Exception e) {
      System.err.println("SwarmNodes: removing " + NAME + " failed: " + e.getMessage());
    }
  }

  /** Namespaces, links, folders and engines of the cluster that exist, seen from outside. */
  static List<String> leftovers() throws IOException, InterruptedException {
    List<String> left = new ArrayList<>();
    for (String ns : Commands.lines(LOCAL.run(Duration.ofSeconds(30), "ip", "netns", "list"))) {
      if (ns.startsWith(NAME + "-")) {
        left.add("network namespace " + ns.split(" ")[0]);
      }
    }
    for (String link : Commands.lines(LOCAL.run(Duration.ofSeconds(30), "ip", "-o", "link"))) {
      if (link.contains(" " + NAME + "-h")) {
        left.add("link " + NAME + "-h");
      }
    }
    for (String dir : List.of("/run/faas-nodes/" + NAME, "/var/lib/faas-nodes/" + NAME)) {
      if (Files.exists(Path.of(dir))) {
        left.add("folder " + dir);
      }
    }
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("/run/faas-nodes/" + NAME + "/"))
        .forEach(p -> left.add("process " + p.pid() + " " + p.info().commandLine().orElse("")));
    return left;
  }
}
