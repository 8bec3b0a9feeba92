/**
 * Where replicas run. One interface, {@link dev.jakartafaas.backend.boundary.Backend}, with an
 * implementation per orchestrator chosen by {@code faas.backend}: {@code process} (local child
 * processes) now, {@code swarm} later.
 */
package dev.jakartafaas.backend;
