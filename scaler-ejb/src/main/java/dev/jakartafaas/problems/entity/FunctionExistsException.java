package dev.jakartafaas.problems.entity;

/** A function of that name is already deployed. */
public class FunctionExistsException extends FaasException {

  private static final long serialVersionUID = 1L;

  public FunctionExistsException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 409;
  }
}
