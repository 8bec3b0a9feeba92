package dev.jakartafaas.problems.entity;

/** The function has no replica ready to take the request. */
public class NoReadyReplicaException extends FaasException {

  private static final long serialVersionUID = 1L;

  public NoReadyReplicaException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 503;
  }
}
