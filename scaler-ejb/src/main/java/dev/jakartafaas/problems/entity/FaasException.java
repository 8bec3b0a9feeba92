package dev.jakartafaas.problems.entity;

/**
 * A failure the platform itself reports: an HTTP status and a one-sentence message. Expected
 * outcomes, so no stack trace is captured.
 */
public abstract class FaasException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  protected FaasException(String message) {
    super(message, null, false, false);
  }

  /** The HTTP status code this failure is answered with. */
  public abstract int status();
}
