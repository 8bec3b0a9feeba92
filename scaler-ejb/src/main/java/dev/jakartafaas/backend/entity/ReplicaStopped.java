package dev.jakartafaas.backend.entity;

/** CDI event: a replica left the ready set for good, so connections to it can be dropped. */
public record ReplicaStopped(ReplicaAddress address) {}
