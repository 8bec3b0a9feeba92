package dev.jakartafaas.problems.entity;

/** The secret is named by deployed functions, so it cannot be removed. */
public class SecretInUseException extends FaasException {

  private static final long serialVersionUID = 1L;

  public SecretInUseException(String message) {
    super(message);
  }

  /**
   * The one message for a delete of a secret that deployed functions name.
   *
   * @param users the functions, sorted
   */
  public static SecretInUseException usedBy(String name, java.util.List<String> users) {
    return new SecretInUseException(
        "secret "
            + name
            + " is used by "
            + (users.size() == 1 ? "function " : "functions ")
            + String.join(", ", users)
            + "; remove it from their 'secrets' (or delete them) first");
  }

  @Override
  public int status() {
    return 409;
  }
}
