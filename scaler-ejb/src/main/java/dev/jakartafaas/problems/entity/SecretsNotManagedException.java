package dev.jakartafaas.problems.entity;

/**
 * The selected backend does not manage secrets (the default of {@link
 * dev.jakartafaas.backend.boundary.Backend}'s secret operations).
 */
public class SecretsNotManagedException extends FaasException {

  private static final long serialVersionUID = 1L;

  public SecretsNotManagedException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 501;
  }
}
