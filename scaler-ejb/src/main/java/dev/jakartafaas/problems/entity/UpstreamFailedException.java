package dev.jakartafaas.problems.entity;

/** The replica could not be reached or failed before answering. */
public class UpstreamFailedException extends FaasException {

  private static final long serialVersionUID = 1L;

  public UpstreamFailedException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 502;
  }
}
