/**
 * Where replicas run. One interface, {@link dev.jakartafaas.backend.boundary.Backend}, with an
 * implementation per orchestrator chosen by {@code faas.backend}: {@code process} (local child
 * processes) and {@code swarm} (Docker Swarm services).
 */
package dev.jakartafaas.backend;
