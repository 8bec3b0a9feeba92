package dev.jakartafaas.problems.entity;

import java.io.InterruptedIOException;

/** The request body missed its deadline ({@code faas.gateway.read-timeout}). */
public final class ReadTimeoutException extends InterruptedIOException {

  private static final long serialVersionUID = 1L;

  public ReadTimeoutException(String message) {
    super(message);
  }
}
