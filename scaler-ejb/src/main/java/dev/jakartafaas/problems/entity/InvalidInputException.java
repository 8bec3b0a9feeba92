package dev.jakartafaas.problems.entity;

/** Bad input: malformed JSON, an invalid name, a wrong type or a missing field. */
public class InvalidInputException extends FaasException {

  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 400;
  }
}
