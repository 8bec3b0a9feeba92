package dev.jakartafaas.platform.control;

import java.util.Optional;

/**
 * How large a request's address and headers may be, and the answer beyond that: 414 or 431 with a
 * message saying what is too long (the limits of OpenFaaS's watchdog and ours: a request line of 8
 * KiB, 64 KiB of headers). Payara's listener takes heads up to {@link #LISTENER_BYTES} so that such
 * requests reach the gateway and get this answer instead of the listener's empty 400.
 */
public final class RequestHeadLimits {

  /** The longest request target (path and query) taken, in characters. */
  public static final int MAX_TARGET = 8 * 1024;

  /** The most header bytes taken (names, values and their separators). */
  public static final int MAX_HEADER_BYTES = 64 * 1024;

  /**
   * The head size Payara's listener accepts ({@code header-buffer-length-bytes} in
   * config/payara-pre-boot.txt and config/payara-server-settings.txt); larger heads still get the
   * listener's own empty 400.
   */
  public static final int LISTENER_BYTES = 128 * 1024;

  /** A refusal: the status and the one-line message. */
  public record Refusal(int status, String message) {}

  private RequestHeadLimits() {}

  /**
   * @param targetLength the characters of the path and query as sent
   * @param headerBytes the bytes of every header line ({@code name: value} and CRLF)
   */
  public static Optional<Refusal> check(long targetLength, long headerBytes) {
    if (targetLength > MAX_TARGET) {
      return Optional.of(
          new Refusal(
              414,
              "the request's address is "
                  + targetLength
                  + " characters long; the gateway takes at most "
                  + MAX_TARGET
                  + " (send large data in the body)"));
    }
    if (headerBytes > MAX_HEADER_BYTES) {
      return Optional.of(
          new Refusal(
              431,
              "the request's headers are "
                  + headerBytes
                  + " bytes; the gateway takes at most "
                  + MAX_HEADER_BYTES));
    }
    return Optional.empty();
  }
}
