package dev.jakartafaas.async.control;

import dev.jakartafaas.async.entity.CallState;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides what follows an attempt of an asynchronous call: another attempt, or the end (completed
 * or dead). Statuses meaning "not now" are retried: 429, 502, 503, 504 (also when the platform
 * produced them: no replica, unreachable, connection failure, timeout). A function's own 500 is
 * final unless its deployment lists it in the annotation {@value #CODES_ANNOTATION}. Pure.
 */
final class RetryRule {

  /** Annotation of a deployment: the statuses to retry, comma-separated, replacing the default. */
  static final String CODES_ANNOTATION = "com.openfaas.retry.codes";

  static final Set<Integer> DEFAULT_CODES = Set.of(429, 502, 503, 504);

  /** What follows an attempt. */
  enum Next {
    RETRY,
    COMPLETE,
    DIE
  }

  private RetryRule() {}

  /**
   * @param status the attempt's status
   * @param failedInRound attempts of this round that ended so far, this one included
   * @param maxAttempts {@code faas.async.max-attempts}
   * @param codes the statuses retried for this function
   */
  static Next decide(int status, int failedInRound, int maxAttempts, Set<Integer> codes) {
    if (!codes.contains(status)) {
      return Next.COMPLETE;
    }
    return failedInRound < Math.max(1, maxAttempts) ? Next.RETRY : Next.DIE;
  }

  /** The state a call ends in after a final attempt. */
  static CallState ending(Next next) {
    return next == Next.DIE ? CallState.DEAD : CallState.COMPLETED;
  }

  /**
   * The statuses retried for a deployment with these annotations: {@link #DEFAULT_CODES}, or the
   * annotation's list when it names at least one valid status (100-599); invalid entries are
   * ignored.
   */
  static Set<Integer> codes(Map<String, String> annotations) {
    String value = annotations == null ? null : annotations.get(CODES_ANNOTATION);
    if (value == null || value.isBlank()) {
      return DEFAULT_CODES;
    }
    Set<Integer> codes = new TreeSet<>();
    for (String part : value.split(",")) {
      try {
        int code = Integer.parseInt(part.trim());
        if (code >= 100 && code <= 599) {
          codes.add(code);
        }
      } catch (NumberFormatException e) {
        // not a status: ignored, as documented
      }
    }
    return codes.isEmpty() ? DEFAULT_CODES : Set.copyOf(codes);
  }
}
