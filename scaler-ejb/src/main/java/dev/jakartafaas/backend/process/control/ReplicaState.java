package dev.jakartafaas.backend.process.control;

/** Lifecycle of one replica: started, then ready after its health check, then stopping. */
public enum ReplicaState {
  STARTING,
  READY,
  STOPPING
}
