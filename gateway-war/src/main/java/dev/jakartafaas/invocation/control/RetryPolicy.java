package dev.jakartafaas.invocation.control;

/**
 * Whether the proxy tries a request again after a failure that happened before the replica answered
 * anything. A connection refused or timed out (nothing was sent) goes once to another replica; a
 * kept-alive connection found closed before the answer began is replaced once by a fresh one, and
 * only for a repeatable request (idempotent, body in memory), since the replica may have died while
 * running it. Pure: the proxy keeps which retries it has spent in an int.
 */
final class RetryPolicy {

  /** Spent: the request went to another replica after a failed connect. */
  static final int OTHER_REPLICA = 1;

  /** Spent: the request was sent again on a fresh connection after a stale pooled one. */
  static final int FRESH_CONNECTION = 2;

  /** What failed. */
  enum Failure {
    /** The replica refused the connection. */
    CONNECT_REFUSED,
    /** The connect timed out or found no route: a replica that died without closing its sockets. */
    CONNECT_UNREACHABLE,
    /** Any other failure to connect. */
    CONNECT_FAILED,
    /** A pooled connection closed before any byte of the answer arrived. */
    STALE_CONNECTION
  }

  /** What to do next. */
  enum Decision {
    /** Connect to another ready replica. */
    OTHER_REPLICA,
    /** Send again to the same replica, on a fresh connection. */
    FRESH_CONNECTION,
    /** Answer the failure. */
    GIVE_UP
  }

  private RetryPolicy() {}

  /**
   * @param spent the retries spent so far ({@link #OTHER_REPLICA}, {@link #FRESH_CONNECTION})
   * @param repeatable whether the request can be sent again (idempotent, body in memory or none)
   */
  static Decision decide(Failure failure, int spent, boolean repeatable) {
    return switch (failure) {
      case CONNECT_REFUSED, CONNECT_UNREACHABLE ->
          (spent & OTHER_REPLICA) == 0 ? Decision.OTHER_REPLICA : Decision.GIVE_UP;
      case CONNECT_FAILED -> Decision.GIVE_UP;
      case STALE_CONNECTION ->
          repeatable && (spent & FRESH_CONNECTION) == 0
              ? Decision.FRESH_CONNECTION
              : Decision.GIVE_UP;
    };
  }

  /** The retries spent once {@code decision} is taken. */
  static int spend(int spent, Decision decision) {
    return switch (decision) {
      case OTHER_REPLICA -> spent | OTHER_REPLICA;
      case FRESH_CONNECTION -> spent | FRESH_CONNECTION;
      case GIVE_UP -> spent;
    };
  }

  /** True once a stale connection was met: from then on only fresh connections are used. */
  static boolean freshOnly(int spent) {
    return (spent & FRESH_CONNECTION) != 0;
  }
}
