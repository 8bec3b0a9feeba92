package dev.jakartafaas.problems.entity;

/** As many clients follow logs as {@code faas.logs.max-followers} allows: try again later. */
public class TooManyFollowersException extends FaasException {

  private static final long serialVersionUID = 1L;

  public TooManyFollowersException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 429;
  }
}
