package dev.jakartafaas.backend.entity;

import java.time.Instant;

/**
 * Why a function's replicas do not get ready, as its backend last saw it: a replica that exited, a
 * task the swarm could not place or start. Shown by {@code GET /system/function/{name}} and in the
 * 503 of a call that finds no ready replica; never holds a secret's value.
 *
 * @param reason one line: what failed and how (exit status, last output line, engine error)
 * @param attempts replicas that failed in a row, counting this one
 * @param at when it was seen
 */
public record FunctionProblem(String reason, int attempts, Instant at) {

  /** Failed replicas in a row from which a call stops waiting and answers 503 at once. */
  public static final int KEEPS_FAILING = 3;

  /** Replicas have failed often enough in a row that waiting longer will not help. */
  public boolean keepsFailing() {
    return attempts >= KEEPS_FAILING;
  }
}
