package dev.jakartafaas.problems.entity;

/**
 * No asynchronous call of that id is recorded (never accepted, or its record passed its retention).
 */
public class CallNotFoundException extends FaasException {

  private static final long serialVersionUID = 1L;

  public CallNotFoundException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 404;
  }
}
