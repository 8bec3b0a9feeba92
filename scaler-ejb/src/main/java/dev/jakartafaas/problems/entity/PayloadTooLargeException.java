package dev.jakartafaas.problems.entity;

/** The request body is larger than the gateway accepts. */
public class PayloadTooLargeException extends FaasException {

  private static final long serialVersionUID = 1L;

  public PayloadTooLargeException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 413;
  }
}
