package dev.jakartafaas.backend.entity;

/**
 * Where one ready replica of a function listens.
 *
 * @param instance the replica's name, unique among all replicas the backend started
 */
public record ReplicaAddress(String function, String instance, String host, int port) {}
