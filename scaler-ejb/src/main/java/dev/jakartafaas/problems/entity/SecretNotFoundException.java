package dev.jakartafaas.problems.entity;

/** The secret does not exist. */
public class SecretNotFoundException extends FaasException {

  private static final long serialVersionUID = 1L;

  public SecretNotFoundException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 404;
  }
}
