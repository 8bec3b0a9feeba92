package dev.jakartafaas.async.entity;

import java.util.Locale;

/** Where an asynchronous call is: waiting, running, between attempts, or ended one of two ways. */
public enum CallState {
  /** Journaled and waiting for a worker. */
  QUEUED,
  /** A worker is running an attempt, or delivering the callback. */
  RUNNING,
  /** An attempt failed in a way that is retried; the next one is scheduled. */
  WAITING,
  /** The function answered with a final status (a success, or an error that is not retried). */
  COMPLETED,
  /** Every attempt failed in a way that is retried: kept as a dead letter until re-queued. */
  DEAD;

  /** The name used in the API and in the journal: lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True once the call has ended (completed or dead). */
  public boolean ended() {
    return this == COMPLETED || this == DEAD;
  }

  /**
   * The state of a label ({@code dead}, {@code queued}, ...).
   *
   * @throws IllegalArgumentException naming the valid labels
   */
  public static CallState of(String label) {
    for (CallState s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "state '" + label + "' is not one of queued, running, waiting, completed, dead");
  }
}
