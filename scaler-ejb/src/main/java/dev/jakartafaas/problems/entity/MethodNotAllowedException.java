package dev.jakartafaas.problems.entity;

/** The route exists but does not take this HTTP method. */
public class MethodNotAllowedException extends FaasException {

  private static final long serialVersionUID = 1L;

  public MethodNotAllowedException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 405;
  }
}
