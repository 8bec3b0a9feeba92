package dev.jakartafaas.problems.entity;

/** The function (or the namespace) does not exist. */
public class FunctionNotFoundException extends FaasException {

  private static final long serialVersionUID = 1L;

  public FunctionNotFoundException(String message) {
    super(message);
  }

  /** The one message for a function that is not deployed. */
  public static FunctionNotFoundException of(String name) {
    return new FunctionNotFoundException("function " + name + " not found");
  }

  @Override
  public int status() {
    return 404;
  }
}
