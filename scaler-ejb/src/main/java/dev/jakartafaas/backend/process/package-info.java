/**
 * The embedded backend: each replica is a local {@code java -jar watchdog.jar} child process on a
 * free loopback port, started in its own session, health-checked before it gets traffic, replaced
 * when it dies, and stopped with SIGTERM. Functions are stored in {@code faas.data-dir}.
 */
package dev.jakartafaas.backend.process;
