package dev.jakartafaas.problems.entity;

/** The replica did not answer within the upstream timeout. */
public class UpstreamTimeoutException extends FaasException {

  private static final long serialVersionUID = 1L;

  public UpstreamTimeoutException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 504;
  }
}
