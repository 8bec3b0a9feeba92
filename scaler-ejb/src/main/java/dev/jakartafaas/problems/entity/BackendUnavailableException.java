package dev.jakartafaas.problems.entity;

/** The backend cannot carry out the request right now. */
public class BackendUnavailableException extends FaasException {

  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 503;
  }
}
