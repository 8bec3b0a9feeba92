package dev.jakartafaas.problems.entity;

/** The secret does not exist. */
public class SecretNotFoundException extends FaasException {

  private static final long serialVersionUID = 1L;

  public SecretNotFoundException(String message) {
    super(message);
  }

  /** The one message for a secret that does not exist. */
  public static SecretNotFoundException of(String name) {
    return new SecretNotFoundException("secret " + name + " not found");
  }

  @Override
  public int status() {
    return 404;
  }
}
