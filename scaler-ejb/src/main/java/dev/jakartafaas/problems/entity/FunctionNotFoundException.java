package dev.jakartafaas.problems.entity;

/** The function (or the namespace) does not exist. */
public class FunctionNotFoundException extends FaasException {

  private static final long serialVersionUID = 1L;

  public FunctionNotFoundException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 404;
  }
}
