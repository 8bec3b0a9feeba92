package dev.jakartafaas.invocation.control;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Which headers cross the proxy. Hop-by-hop headers (RFC 9110 section 7.6.1) and those the proxy
 * sets itself are dropped in both directions; so is any header the {@code Connection} header names.
 */
public final class ForwardedHeaders {

  public static final String CALL_ID = "X-Call-Id";
  public static final String START_TIME = "X-Start-Time";

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "trailers",
          "transfer-encoding",
          "upgrade",
          "content-length");

  /** Set by the proxy on the way in, so a client's values are not passed on as they are. */
  private static final Set<String> SET_BY_PROXY =
      Set.of("host", "expect", "x-call-id", "x-start-time", "x-forwarded-for");

  private static final Pattern CALL_ID_FORMAT = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private ForwardedHeaders() {}

  /** The lower-cased header names a {@code Connection} header value lists. */
  public static Set<String> connectionTokens(String connectionHeader) {
    if (connectionHeader == null || connectionHeader.isBlank()) {
      return Set.of();
    }
    HashSet<String> tokens = new HashSet<>();
    for (String t : connectionHeader.split(",")) {
      String token = t.trim().toLowerCase(Locale.ROOT);
      if (!token.isEmpty()) {
        tokens.add(token);
      }
    }
    return tokens;
  }

  /** True if a client's request header goes on to the replica. */
  public static boolean forwardRequest(String name, Set<String> connectionTokens) {
    String lower = name.toLowerCase(Locale.ROOT);
    return !HOP_BY_HOP.contains(lower)
        && !SET_BY_PROXY.contains(lower)
        && !connectionTokens.contains(lower);
  }

  /** True if a replica's response header goes back to the client. */
  public static boolean forwardResponse(String name, Set<String> connectionTokens) {
    String lower = name.toLowerCase(Locale.ROOT);
    return !HOP_BY_HOP.contains(lower)
        && !connectionTokens.contains(lower)
        && !lower.equals("x-call-id")
        && !lower.equals("x-start-time");
  }

  /** True for a header value that can be written on one line. */
  public static boolean isSafeValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == '\0') {
        return false;
      }
    }
    return true;
  }

  /** True for a well-formed call id: 1 to 128 letters, digits, '.', '_', ':' or '-'. */
  public static boolean isCallId(String id) {
    return id != null && CALL_ID_FORMAT.matcher(id).matches();
  }

  /** Keeps a caller's call id when it is well-formed, else makes a new one. */
  public static String callId(String fromCaller) {
    if (fromCaller != null && CALL_ID_FORMAT.matcher(fromCaller).matches()) {
      return fromCaller;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }
}
