package dev.jakartafaas.watchdog;

import java.io.IOException;

/**
 * A system call the watchdog made itself (through the FFM API on Java 22+) failed: names the call
 * and its errno, so the answer (500) says what went wrong instead of the JVM crashing.
 */
final class NativeCallException extends IOException {

  private final String call;
  private final int errno;

  NativeCallException(String call, int errno, String errnoName, String description) {
    super(call + " failed: " + errnoName + " (" + description + ")");
    this.call = call;
    this.errno = errno;
  }

  String call() {
    return call;
  }

  int errno() {
    return errno;
  }
}
