package dev.jakartafaas.security.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * A user name and password, as configured or as a client sent them in an {@code Authorization:
 * Basic} header. {@link #matches} compares in constant time, so the answer's timing tells nothing
 * about how much of a guess was right.
 */
public record BasicCredentials(String user, String password) {

  /** The credentials of an {@code Authorization} header value; empty unless it is valid Basic. */
  public static Optional<BasicCredentials> fromHeader(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String h = header.strip();
    if (h.length() < 6 || !h.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
      return Optional.empty();
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(h.substring(6).strip());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String pair = new String(decoded, StandardCharsets.UTF_8);
    int colon = pair.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return Optional.of(new BasicCredentials(pair.substring(0, colon), pair.substring(colon + 1)));
  }

  /** True when both parts are equal to the given ones; takes the same time whatever differs. */
  public boolean matches(BasicCredentials offered) {
    boolean user = MessageDigest.isEqual(digest(user()), digest(offered.user()));
    boolean password = MessageDigest.isEqual(digest(password()), digest(offered.password()));
    return user & password;
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Never the password. */
  @Override
  public String toString() {
    return "BasicCredentials[user=" + user + "]";
  }
}
