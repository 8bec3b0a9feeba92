package dev.jakartafaas.problems.entity;

/** A secret of that name already exists. */
public class SecretExistsException extends FaasException {

  private static final long serialVersionUID = 1L;

  public SecretExistsException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 409;
  }
}
