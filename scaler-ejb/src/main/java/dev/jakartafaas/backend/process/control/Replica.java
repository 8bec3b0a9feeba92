package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.backend.entity.ReplicaAddress;
import java.time.Instant;
import java.util.concurrent.Semaphore;

/** One replica: its address, generation, state and, once launched, its process. */
final class Replica {

  final ReplicaAddress address;
  final long generation;
  final Instant startedAt;
  volatile ReplicaState state = ReplicaState.STARTING;
  volatile Process process;

  /** The replica's cgroups while they exist; null when limits are not enforced. */
  volatile CgroupPlan cgroup;

  /** The thread that reads the replica's output into the function's log; null before launch. */
  volatile Thread pump;

  /** The replica's last line of output, told when it fails; null while it printed none. */
  volatile String lastLine;

  /**
   * Released when the replica prints the watchdog's start line: the moment to ask its health check
   * (the backend asks it every 20 ms otherwise).
   */
  final Semaphore startLine = new Semaphore(0);

  /** Whether the replica printed the watchdog's start line: it listens. */
  volatile boolean startLineSeen;

  /**
   * Whether the start line said {@code mode fork} on the replica's port: the watchdog prints it
   * after its health check turned 200, so the replica is ready without asking.
   */
  volatile boolean readyByStartLine;

  Replica(ReplicaAddress address, long generation, Instant startedAt) {
    this.address = address;
    this.generation = generation;
    this.startedAt = startedAt;
  }

  String instance() {
    return address.instance();
  }

  ReplicaPlan.Replica snapshot() {
    return new ReplicaPlan.Replica(instance(), generation, state, startedAt);
  }
}
