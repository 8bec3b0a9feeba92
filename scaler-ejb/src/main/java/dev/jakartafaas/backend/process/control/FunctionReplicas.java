package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One function's deployment, desired replica count and replicas. Mutated under its own lock; the
 * ready addresses are republished as an immutable list for the invocation hot path.
 */
final class FunctionReplicas {

  final String name;
  final Instant createdAt;
  final LogRing logs;
  final List<Replica> replicas = new ArrayList<>();
  FunctionDeployment deployment;
  int desired;
  long generation;
  int failures;

  /** Why the last replica failed, while none has got ready since; null otherwise. */
  FunctionProblem problem;

  Instant startAllowedAt = Instant.EPOCH;
  boolean removed;
  int sequence;
  private volatile List<ReplicaAddress> ready = List.of();

  FunctionReplicas(FunctionDeployment deployment, int desired, Instant createdAt, int logLines) {
    this.name = deployment.service();
    this.deployment = deployment;
    this.desired = desired;
    this.createdAt = createdAt;
    this.logs = new LogRing(logLines);
  }

  List<ReplicaAddress> ready() {
    return ready;
  }

  /** Called with the lock held after any state change. */
  void publishReady() {
    List<ReplicaAddress> addresses = new ArrayList<>();
    for (Replica r : replicas) {
      if (r.state == ReplicaState.READY) {
        addresses.add(r.address);
      }
    }
    ready = List.copyOf(addresses);
  }

  synchronized FunctionState state() {
    return new FunctionState(deployment, desired, ready.size(), createdAt, problem);
  }

  /** The pids directories of the live replicas' cgroups (tests and diagnostics). */
  synchronized List<Path> pidsDirectories() {
    List<Path> dirs = new ArrayList<>();
    for (Replica r : replicas) {
      CgroupPlan plan = r.cgroup;
      if (plan != null && plan.pidsDirectory() != null) {
        dirs.add(plan.pidsDirectory());
      }
    }
    return dirs;
  }

  /** The operating system processes of the live replicas (tests and diagnostics). */
  synchronized List<ProcessHandle> processes() {
    List<ProcessHandle> handles = new ArrayList<>();
    for (Replica r : replicas) {
      if (r.process != null && r.process.isAlive()) {
        handles.add(r.process.toHandle());
      }
    }
    return handles;
  }

  Replica find(String instance) {
    for (Replica r : replicas) {
      if (r.instance().equals(instance)) {
        return r;
      }
    }
    return null;
  }
}
