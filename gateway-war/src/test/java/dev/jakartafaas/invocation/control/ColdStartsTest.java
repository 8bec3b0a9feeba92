package dev.jakartafaas.invocation.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.metrics.control.FakeMetricRegistry;
import dev.jakartafaas.metrics.control.FunctionMetrics;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.NoReadyReplicaException;
import dev.jakartafaas.scaling.control.Scaler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Holding requests for a function without a ready replica, against a backend in memory. */
class ColdStartsTest {

  private static final ReplicaAddress READY = new ReplicaAddress("f", "f-1", "127.0.0.1", 9);
  private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final FakeMetricRegistry metrics = new FakeMetricRegistry();
  private final SlowBackend backend = new SlowBackend();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private ColdStarts coldStarts(Duration timeout, int queue) {
    ColdStarts c = new ColdStarts();
    c.backend = backend;
    c.counts = new FunctionMetrics(metrics.registry, backend);
    c.scaler = new Scaler(backend, c.counts);
    c.settings =
        new InvocationSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1, timeout, queue);
    c.init();
    return c;
  }

  @Test
  void startsAFunctionAtZeroOnceForManyWaitingRequestsAndAnswersThemWhenReady() throws Exception {
    ColdStarts c = coldStarts(Duration.ofSeconds(60), 1000);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<ReplicaAddress>>> waits = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      waits.add(
          pool.submit(
              () -> {
                go.await();
                return c.await("f");
              }));
    }
    go.countDown();
    for (Future<List<ReplicaAddress>> w : waits) {
      assertEquals(List.of(READY), w.get(60, TimeUnit.SECONDS));
    }
    assertEquals(List.of(2), backend.scaledTo, "one scale-up, to the function's min");
    assertEquals(0, c.counts.inFlight("f"));
    assertEquals(
        20L, metrics.value(FunctionMetrics.COLD_STARTS, FunctionMetrics.FUNCTION_LABEL, "f"));
  }

  @Test
  void answers503WhenNoReplicaIsReadyInTime() {
    backend.readyAfterScale = false;
    ColdStarts c = coldStarts(Duration.ofMillis(100), 1000);
    NoReadyReplicaException e = assertThrows(NoReadyReplicaException.class, () -> c.await("f"));
    assertTrue(e.getMessage().contains("faas.gateway.cold-start-timeout"), e.getMessage());
    assertEquals(0, c.counts.inFlight("f"));
  }

  @Test
  void answers503AtOnceWithTheReasonWhenReplicasKeepFailing() {
    backend.readyAfterScale = false;
    backend.problem = new FunctionProblem("f-3: replica exited unexpectedly with status 2", 3, NOW);
    ColdStarts c = coldStarts(Duration.ofSeconds(60), 1000);
    NoReadyReplicaException e = assertThrows(NoReadyReplicaException.class, () -> c.await("f"));
    assertTrue(e.getMessage().contains("keep failing (3 in a row)"), e.getMessage());
    assertTrue(e.getMessage().endsWith("exited unexpectedly with status 2"), e.getMessage());
    assertEquals(0, c.counts.inFlight("f"));
  }

  @Test
  void aSingleFailureIsWaitedOutAndToldWhenTheWaitEnds() {
    backend.readyAfterScale = false;
    backend.problem = new FunctionProblem("f-1: replica did not get ready", 1, NOW);
    ColdStarts c = coldStarts(Duration.ofMillis(200), 1000);
    NoReadyReplicaException e = assertThrows(NoReadyReplicaException.class, () -> c.await("f"));
    assertTrue(e.getMessage().contains("faas.gateway.cold-start-timeout"), e.getMessage());
    assertTrue(
        e.getMessage().endsWith("a replica failed: f-1: replica did not get ready"),
        e.getMessage());
  }

  @Test
  void answers503BeyondTheQueueWithoutStartingAnything() {
    ColdStarts c = coldStarts(Duration.ofSeconds(60), 0);
    NoReadyReplicaException e = assertThrows(NoReadyReplicaException.class, () -> c.await("f"));
    assertTrue(e.getMessage().contains("faas.gateway.cold-start-queue"), e.getMessage());
    assertEquals(List.of(), backend.scaledTo);
  }

  @Test
  void answers404WhenTheFunctionIsRemovedWhileWaiting() {
    backend.removed = true;
    ColdStarts c = coldStarts(Duration.ofSeconds(60), 10);
    assertThrows(FunctionNotFoundException.class, () -> c.await("f"));
  }

  /** A function {@code f} at 0 replicas (min 2) whose replica gets ready 200 ms after a scale. */
  private static final class SlowBackend extends UnsupportedBackend {
    final List<Integer> scaledTo = new CopyOnWriteArrayList<>();
    final AtomicInteger desired = new AtomicInteger();
    volatile long readyAt = Long.MAX_VALUE;
    volatile boolean readyAfterScale = true;
    volatile boolean removed;
    volatile FunctionProblem problem;

    @Override
    public Optional<FunctionProblem> problem(String name) {
      return Optional.ofNullable(problem);
    }

    @Override
    public List<FunctionState> list() {
      return find("f").stream().toList();
    }

    @Override
    public Optional<FunctionState> find(String name) {
      if (removed || !name.equals("f")) {
        return Optional.empty();
      }
      FunctionDeployment d =
          new FunctionDeployment(
              "f",
              "",
              "cat",
              Map.of(),
              Map.of("com.openfaas.scale.min", "2"),
              Map.of(),
              List.of(),
              List.of(),
              null,
              null,
              false);
      return Optional.of(new FunctionState(d, desired.get(), 0, Instant.EPOCH));
    }

    @Override
    public void scale(String name, int replicas) {
      scaledTo.add(replicas);
      desired.set(replicas);
      if (readyAfterScale) {
        readyAt = System.nanoTime() + 200_000_000L;
      }
    }

    @Override
    public Optional<List<ReplicaAddress>> readyReplicas(String name) {
      if (removed || !name.equals("f")) {
        return Optional.empty();
      }
      return Optional.of(System.nanoTime() >= readyAt ? List.of(READY) : List.of());
    }

    @Override
    public List<LogLine> logs(String name, int tail, Instant since) {
      return List.of();
    }
  }
}
