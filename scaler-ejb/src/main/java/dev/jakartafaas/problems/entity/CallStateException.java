package dev.jakartafaas.problems.entity;

/**
 * The asynchronous call is not in a state that allows what was asked (only a dead call can be
 * re-queued).
 */
public class CallStateException extends FaasException {

  private static final long serialVersionUID = 1L;

  public CallStateException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 409;
  }
}
