package dev.jakartafaas.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs of the machine (root, writable cgroups, Prometheus, a browser, a Docker swarm):
 * without it the test is skipped with the reason, except under {@code CI=true}, where it fails, so
 * that CI never passes by skipping. {@code .ci/run} sets {@code CI=true}.
 */
public final class Needs {

  private Needs() {}

  /** True when the build runs as CI ({@code CI=true}). */
  public static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Goes on when {@code present}; otherwise skips the test, or fails it under CI.
   *
   * @param what what is missing and how to provide it, e.g. "prometheus is not installed (bash
   *     stack/prerequisites.sh installs it)"
   */
  public static void that(boolean present, String what) {
    if (present) {
      return;
    }
    if (ci()) {
      throw new AssertionError("CI=true, and the test needs what is missing: " + what);
    }
    Assumptions.abort("skipped: " + what);
  }
}
