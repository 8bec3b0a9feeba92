package dev.jakartafaas.problems.entity;

/** A secret of that name already exists. */
public class SecretExistsException extends FaasException {

  private static final long serialVersionUID = 1L;

  public SecretExistsException(String message) {
    super(message);
  }

  /** The one message for a create of a secret that exists. */
  public static SecretExistsException of(String name) {
    return new SecretExistsException(
        "secret " + name + " already exists; update it with PUT /system/secrets");
  }

  @Override
  public int status() {
    return 409;
  }
}
