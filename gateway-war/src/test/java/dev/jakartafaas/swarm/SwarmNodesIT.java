package dev.jakartafaas.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.testing.Needs;
import dev.jakartafaas.testing.Poll;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * System tests on a Docker Swarm of three nodes on this machine ({@link SwarmNodes}): the platform
 * deployed with {@code stack/deploy.sh} on the manager, functions spread over the nodes, placement
 * constraints, images missing on a node, a node drained and a node lost under load, and the
 * autoscaler across nodes. Needs root and Debian's docker.io (stack/docker-prerequisites.sh);
 * skipped without them, except under CI ({@code CI=true}), where that is a failure. {@code
 * -DexcludedGroups=swarm-nodes} leaves these tests out ({@code swarm} leaves out every swarm test).
 * The lost node goes last: the tests before it need all three.
 */
@Tag("swarm")
@Tag("swarm-nodes")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmNodesIT {

  private static final int NODES = 3;
  private static final String STACK = "nodes";
  private static final int PORT = Integer.getInteger("swarm.nodes.port", 31113);
  private static final List<String> IMAGES =
      List.of(
          "faas-gateway:latest",
          "faas-watchdog:latest",
          "faas-fn-echoit:latest",
          "faas-fn-wordcount:latest",
          "faas-fn-base64:latest",
          "faas-fn-decodebase64:latest",
          "faas-fn-nodeinfo:latest",
          "faas-fn-webhookstash:latest",
          "faas-fn-markdown:latest");

  /** Calls on their way through a replica lost with its node wait out the connect timeout. */
  private static final Map<String, String> HAND_SCALED = Map.of("com.openfaas.scale.factor", "0");

  private static SwarmNodes cluster;
  private static Commands docker;
  private static StackGateway gateway;
  private static StackServices services;
  // the functions the running test deployed, removed after it whether it passed or not
  private static final List<String> DEPLOYED = new ArrayList<>();

  @BeforeAll
  static void deployOnThreeNodes() throws Exception {
    requireRootAndDockerd();
    Commands.local().run(Duration.ofMinutes(8), "bash", "stack/build-images.sh", "--no-maven");
    cluster = SwarmNodes.up(NODES, IMAGES);
    docker = cluster.manager();
    docker.run(
        Duration.ofSeconds(30),
        "docker",
        "node",
        "update",
        "--label-add",
        "zone=b",
        cluster.hostname(3));
    gateway = new StackGateway(STACK, cluster.address(1), PORT);
    gateway.deployStack(docker);
    services = new StackServices(docker, STACK);
  }

  @AfterAll
  static void removeTheCluster() throws Exception {
    if (cluster != null) {
      cluster.close(); // the stack goes with the nodes; close() checks that nothing is left
      Commands.local()
          .run(
              Duration.ofSeconds(30),
              "rm",
              "-f",
              "data/" + STACK + "-basic-auth-password",
              "data/" + STACK + "-curl-auth");
    }
  }

  @AfterEach
  void removeTheTestsFunctions() {
    for (String f : DEPLOYED) {
      if (!gateway.status(f).isEmpty()) {
        removeQuietly(f);
      }
    }
    DEPLOYED.clear();
  }

  private static void requireRootAndDockerd() {
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean dockerd;
    try {
      Commands.local().run(Duration.ofSeconds(10), "sh", "-c", "command -v dockerd");
      dockerd = true;
    } catch (Exception e) {
      dockerd = false;
    }
    Needs.that(
        root && dockerd,
        "Multi-node swarm tests need root and Debian's docker.io (bash"
            + " stack/docker-prerequisites.sh); here: "
            + (root ? "" : "not root ")
            + (dockerd ? "" : "no dockerd"));
  }

  @Test
  @Order(1)
  void aFunctionScaledToSixRunsOnEveryNodeAndTheGatewaySpreadsCallsOverAllReplicas()
      throws Exception {
    deploy("spread", "faas-watchdog:latest", "hostname", HAND_SCALED);
    gateway.scale("spread", 6);
    await(Duration.ofMinutes(2), () -> gateway.available("spread") == 6, "6 ready replicas");
    Map<Integer, Integer> perNode = tasksPerNode("spread");
    assertEquals(Set.of(1, 2, 3), perNode.keySet(), "tasks per node: " + perNode);

    // 600 calls from 6 threads: each replica answers its container's host name
    Map<String, AtomicInteger> perReplica = new ConcurrentHashMap<>();
    List<Thread> callers = new ArrayList<>();
    AtomicInteger failed = new AtomicInteger();
    for (int t = 0; t < 6; t++) {
      Thread caller =
          new Thread(
              () -> {
                for (int i = 0; i < 100; i++) {
                  try {
                    HttpResponse<String> r = gateway.call("spread", "");
                    if (r.statusCode() == 200) {
                      perReplica
                          .computeIfAbsent(r.body().strip(), k -> new AtomicInteger())
                          .incrementAndGet();
                    } else {
                      failed.incrementAndGet();
                    }
                  } catch (Exception e) {
                    failed.incrementAndGet();
                  }
                }
              });
      callers.add(caller);
      caller.start();
    }
    for (Thread caller : callers) {
      caller.join(TimeUnit.MINUTES.toMillis(2));
    }
    Map<String, Integer> nodeOf = containerNodes("spread");
    Map<Integer, Integer> callsPerNode = new TreeMap<>();
    perReplica.forEach(
        (host, n) -> callsPerNode.merge(nodeOf.getOrDefault(host, 0), n.get(), Integer::sum));
    System.out.println(
        "SwarmNodesIT spread: tasks per node "
            + perNode
            + ", calls per replica "
            + perReplica
            + ", calls per node "
            + callsPerNode);
    assertEquals(0, failed.get(), "failed calls; answered: " + perReplica);
    assertEquals(6, perReplica.size(), "replicas that answered: " + perReplica);
    assertEquals(Set.of(1, 2, 3), callsPerNode.keySet(), "calls per node: " + callsPerNode);
    // an even spread gives each of the 6 replicas 100 calls; none may get less than half of that
    perReplica.forEach(
        (host, n) -> assertTrue(n.get() >= 50, "replica " + host + " got " + n + " of 600"));
  }

  @Test
  @Order(2)
  void placementConstraintsAreHonouredAndOneNoNodeMeetsIsReported() throws Exception {
    deploy(
        "workers", "faas-watchdog:latest", "hostname", HAND_SCALED, List.of("node.role==worker"));
    deploy(
        "zoned", "faas-watchdog:latest", "hostname", HAND_SCALED, List.of("node.labels.zone==b"));
    deploy(
        "nowhere",
        "faas-watchdog:latest",
        "hostname",
        HAND_SCALED,
        List.of("node.labels.zone==nowhere"));
    gateway.scale("workers", 4);
    gateway.scale("zoned", 2);
    await(Duration.ofMinutes(2), () -> gateway.available("workers") == 4, "4 ready workers");
    await(Duration.ofMinutes(2), () -> gateway.available("zoned") == 2, "2 ready in zone b");
    assertEquals(Set.of(2, 3), tasksPerNode("workers").keySet(), "" + tasksPerNode("workers"));
    assertEquals(Map.of(3, 2), tasksPerNode("zoned"));
    assertEquals(200, gateway.call("workers", "").statusCode());

    assertProblemReported("nowhere", "no suitable node");
  }

  @Test
  @Order(3)
  void replicasGoWhereTheImageIsAndANodeWithoutItGivesTheReason() throws Exception {
    // an image on the manager only, as after a build there without copying it to the workers
    String image = "faas-fn-echoit:" + STACK + "-manager-only";
    // the tag is the test cluster's own: it goes with the cluster
    docker.run(Duration.ofSeconds(30), "docker", "tag", "faas-fn-echoit:latest", image);
    deploy("managerimage", image, "cat", HAND_SCALED);
    deploy("workerimage", image, "cat", HAND_SCALED, List.of("node.role==worker"));
    gateway.scale("managerimage", 2);
    // the workers reject its tasks ("No such image"); swarm places them on the manager
    await(
        Duration.ofMinutes(2),
        () ->
            gateway.available("managerimage") == 2
                && tasksPerNode("managerimage").equals(Map.of(1, 2)),
        "2 replicas on the manager");
    assertEquals("x", gateway.call("managerimage", "x").body());

    assertProblemReported("workerimage", "No such image: " + image);
  }

  @Test
  @Order(4)
  void aWorkerDrainedUnderLoadHandsItsReplicasOverWithoutAFailedRequest() throws Exception {
    deploy("drained", "faas-fn-echoit:latest", "cat", HAND_SCALED);
    gateway.scale("drained", 6);
    await(Duration.ofMinutes(2), () -> gateway.available("drained") == 6, "6 ready replicas");
    assertTrue(tasksPerNode("drained").containsKey(2), "" + tasksPerNode("drained"));
    try (Load load = new Load(gateway, "drained", 4)) {
      load.awaitCalls(100);
      long drained = System.nanoTime();
      docker.run(
          Duration.ofSeconds(30),
          "docker",
          "node",
          "update",
          "--availability",
          "drain",
          cluster.hostname(2));
      await(
          Duration.ofMinutes(2),
          () ->
              !tasksPerNode("drained").containsKey(2)
                  && runningTasks("drained") == 6
                  && gateway.available("drained") == 6,
          "6 ready replicas, none on node 2");
      long moved = System.nanoTime() - drained;
      load.awaitCalls(load.calls() + 200);
      load.stop();
      System.out.println(
          "SwarmNodesIT drain: replicas moved in " + millis(moved) + " ms, " + load.report());
      assertEquals(0, load.failures(), load.report());
    } finally {
      docker.run(
          Duration.ofSeconds(30),
          "docker",
          "node",
          "update",
          "--availability",
          "active",
          cluster.hostname(2));
    }
  }

  @Test
  @Order(5)
  void theAutoscalerScalesAFunctionOverSeveralNodesAndBack() throws Exception {
    deploy(
        "autowide",
        "faas-fn-echoit:latest",
        "cat",
        Map.of("com.openfaas.scale.min", "1", "com.openfaas.scale.max", "6"));
    await(Duration.ofMinutes(1), () -> gateway.available("autowide") == 1, "1 ready replica");
    try (Load load = new Load(gateway, "autowide", 4)) {
      await(
          Duration.ofMinutes(3),
          () -> gateway.available("autowide") >= 3 && tasksPerNode("autowide").size() >= 2,
          "3 ready replicas on at least 2 nodes");
      System.out.println("SwarmNodesIT autoscaler: under load " + tasksPerNode("autowide"));
      load.stop();
      assertEquals(0, load.failures(), load.report());
    }
    await(Duration.ofMinutes(3), () -> gateway.replicas("autowide") == 1, "the scale-down to 1");
    await(Duration.ofMinutes(1), () -> runningTasks("autowide") == 1, "1 running task");
  }

  @Test
  @Order(6)
  void aWorkerCutOffTheNetworkUnderLoadCostsUnderOnePercentAndItsReplicasAreReplaced()
      throws Exception {
    try {
      nodeLostUnderLoad("cutoff", 2, () -> cluster.isolate(2, true));
    } finally {
      cluster.isolate(2, false);
    }
    // back on the network, the node joins again and its old tasks are stopped
    await(
        Duration.ofMinutes(2),
        () -> "Ready".equals(nodeStatus(cluster.hostname(2))),
        "node 2 ready again");
  }

  @Test
  @Order(7)
  void aWorkerLostUnderLoadCostsUnderOnePercentAndItsReplicasAreReplaced() throws Exception {
    nodeLostUnderLoad("survivor", 3, () -> cluster.kill(3));
    assertEquals("Down", nodeStatus(cluster.hostname(3)));
  }

  /** A fault that takes a node away. */
  @FunctionalInterface
  private interface Fault {
    void strike() throws Exception;
  }

  /**
   * Six replicas of a function, a constant load, then {@code fault} takes node {@code node} away:
   * at least 99 % of the calls succeed, the gateway stops listing the lost replicas and the swarm
   * replaces them on the other nodes within 60 s, and only a few calls wait out a connect timeout.
   */
  private static void nodeLostUnderLoad(String function, int node, Fault fault) throws Exception {
    deploy(function, "faas-fn-echoit:latest", "cat", HAND_SCALED);
    gateway.scale(function, 6);
    await(
        Duration.ofMinutes(2),
        () -> gateway.available(function) == 6 && tasksPerNode(function).containsKey(node),
        "6 ready replicas, some on node " + node);
    int lost = tasksPerNode(function).get(node);
    long struck;
    long dropped;
    long replaced;
    long felt;
    int slowAfter;
    try (Load load = new Load(gateway, function, 4)) {
      load.awaitCalls(200);
      struck = System.nanoTime();
      fault.strike();
      // the gateway routes to the tasks it lists as ready: the lost ones leave that list once the
      // swarm finds the node down and shuts them down
      await(
          Duration.ofMinutes(1),
          () -> gateway.available(function) <= 6 - lost,
          "the lost replicas no longer ready at the gateway");
      dropped = System.nanoTime() - struck;
      await(
          Duration.ofMinutes(2),
          () ->
              !tasksPerNode(function).containsKey(node)
                  && runningTasks(function) == 6
                  && gateway.available(function) == 6,
          "6 ready replicas on the nodes left");
      replaced = System.nanoTime() - struck;
      load.awaitCalls(load.calls() + 400);
      load.stop();
      // until then, a call that met a lost replica either failed (it was on its way there) or went
      // to another replica: at once when the connection was refused, after the connect timeout
      // (2 s, a slow call) when nothing answered; after that the gateway passes the replica over
      felt = Math.max(0, load.lastDisturbedStart().orElse(struck) - struck);
      slowAfter = load.slowCallsSince(struck);
      System.out.println(
          "SwarmNodesIT node "
              + node
              + " lost ("
              + function
              + "): "
              + lost
              + " of 6 replicas on it; dropped from the gateway's ready replicas "
              + millis(dropped)
              + " ms after the fault, replaced in "
              + millis(replaced)
              + " ms; the last failed or slow call began "
              + millis(felt)
              + " ms after the fault; "
              + slowAfter
              + " calls waited out a connect timeout; "
              + load.report());
      assertTrue(load.failures() * 100 <= load.calls(), load.report());
    }
    assertTrue(replaced < TimeUnit.SECONDS.toNanos(60), "replaced in " + millis(replaced) + " ms");
    assertTrue(
        dropped < TimeUnit.SECONDS.toNanos(60),
        "the gateway listed the lost replicas as ready for " + millis(dropped) + " ms");
    // a replica that could not be reached is passed over: each costs a few calls a connect
    // timeout, not one call in six until the swarm drops it
    assertTrue(slowAfter <= 12, slowAfter + " calls waited out a connect timeout");
  }

  // --- helpers

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** How many tasks of the function the swarm wants running, whatever their state. */
  private static int runningTasks(String function) {
    return services.tasks(function).size();
  }

  /** Running tasks per node number (node hostnames are NAME-n). */
  private static Map<Integer, Integer> tasksPerNode(String function) {
    Map<Integer, Integer> perNode = new TreeMap<>();
    for (StackServices.Task t : services.tasks(function)) {
      if (t.running()) {
        perNode.merge(nodeNumber(t.node()), 1, Integer::sum);
      }
    }
    return perNode;
  }

  private static int nodeNumber(String hostname) {
    String prefix = SwarmNodes.NAME + "-";
    return hostname.startsWith(prefix) ? Integer.parseInt(hostname.substring(prefix.length())) : 0;
  }

  /** Container host name (its short id) -> node number, for the function's running containers. */
  private static Map<String, Integer> containerNodes(String function) {
    Map<String, Integer> nodeOf = new HashMap<>();
    for (int n = 1; n <= cluster.nodes; n++) {
      for (String id : new StackServices(cluster.on(n), STACK).containers(function)) {
        nodeOf.put(id, n);
      }
    }
    return nodeOf;
  }

  private static String nodeStatus(String hostname) {
    for (String line :
        Commands.lines(
            docker.unchecked("docker", "node", "ls", "--format", "{{.Hostname}} {{.Status}}"))) {
      if (line.startsWith(hostname + " ")) {
        return line.substring(hostname.length() + 1);
      }
    }
    return "(no such node)";
  }

  /** Deploys a function that {@link #removeTheTestsFunctions} removes after the test. */
  private static void deploy(String name, String image, String fprocess, Map<String, String> labels)
      throws Exception {
    deploy(name, image, fprocess, labels, List.of());
  }

  private static void deploy(
      String name,
      String image,
      String fprocess,
      Map<String, String> labels,
      List<String> constraints)
      throws Exception {
    DEPLOYED.add(name);
    gateway.deploy(name, image, fprocess, labels, constraints);
  }

  private static void await(Duration limit, Poll.Condition condition, String what)
      throws InterruptedException {
    Poll.tolerating(limit, what, condition);
  }

  /**
   * The function has no ready replica and says why: its status names {@code reason} in a problem,
   * and a call gets 503 with it at once.
   */
  private static void assertProblemReported(String function, String reason) throws Exception {
    await(
        Duration.ofMinutes(1),
        () -> gateway.status(function).contains("\"problem\""),
        "a problem on the status of " + function);
    String status = gateway.status(function);
    assertTrue(status.contains("\"availableReplicas\":0"), status);
    assertTrue(status.contains(reason), status);
    HttpResponse<String> call = gateway.call(function, "x");
    assertEquals(503, call.statusCode(), call.body());
    assertTrue(call.body().contains(reason), call.body());
  }

  /** Removes a function at the end of a test, whether it passed or not. */
  private static void removeQuietly(String function) {
    try {
      gateway.remove(function);
    } catch (Exception | AssertionError e) {
      System.err.println("SwarmNodesIT: removing " + function + ": " + e.getMessage());
    }
  }
}
