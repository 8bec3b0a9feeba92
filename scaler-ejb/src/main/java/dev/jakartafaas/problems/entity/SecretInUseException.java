package dev.jakartafaas.problems.entity;

/** The secret is named by deployed functions, so it cannot be removed. */
public class SecretInUseException extends FaasException {

  private static final long serialVersionUID = 1L;

  public SecretInUseException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 409;
  }
}
