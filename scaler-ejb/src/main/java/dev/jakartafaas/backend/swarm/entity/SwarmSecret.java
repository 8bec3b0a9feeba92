package dev.jakartafaas.backend.swarm.entity;

/**
 * One version of a platform secret as the Docker engine keeps it: never its value, which the engine
 * does not give back.
 *
 * @param name the secret's name in the API ({@code /system/secrets})
 * @param id the Docker secret's id
 * @param dockerName the Docker secret's name ({@code <stack>_<name>}, plus {@code .v<n>} after an
 *     update)
 * @param version 1 when created, one more with every update
 */
public record SwarmSecret(String name, String id, String dockerName, int version) {}
