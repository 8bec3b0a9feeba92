package dev.jakartafaas.problems.entity;

/** A function of that name is already deployed. */
public class FunctionExistsException extends FaasException {

  private static final long serialVersionUID = 1L;

  public FunctionExistsException(String message) {
    super(message);
  }

  /** The one message for a deploy of a name that is taken. */
  public static FunctionExistsException of(String name) {
    return new FunctionExistsException(
        "function " + name + " already exists; update it with PUT /system/functions");
  }

  @Override
  public int status() {
    return 409;
  }
}
