package dev.jakartafaas.problems.entity;

/**
 * The asynchronous journal cannot be written (or could not be read at start): no call is answered
 * 202 until it can.
 */
public class JournalUnavailableException extends FaasException {

  private static final long serialVersionUID = 1L;

  public JournalUnavailableException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 503;
  }
}
