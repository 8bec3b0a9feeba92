package dev.jakartafaas.backend.entity;

/**
 * A running follow of a function's log. Closing it stops the lines and frees what the backend held
 * for it (a listener, a stream from the engine and its thread); closing twice does nothing.
 */
public interface LogFollow extends AutoCloseable {

  @Override
  void close();
}
