package dev.jakartafaas.invocation.control;

import java.io.IOException;

/** Reading the caller's request or writing its response failed: nobody is left to answer. */
public final class ClientGoneException extends IOException {

  private static final long serialVersionUID = 1L;

  ClientGoneException(IOException cause) {
    super(cause.getMessage(), cause);
  }
}
