package dev.jakartafaas.problems.entity;

/** The queue of asynchronous calls holds as many calls or bytes as it may: try again later. */
public class QueueFullException extends FaasException {

  private static final long serialVersionUID = 1L;

  public QueueFullException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 503;
  }
}
