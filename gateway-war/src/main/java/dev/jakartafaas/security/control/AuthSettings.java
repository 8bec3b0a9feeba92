package dev.jakartafaas.security.control;

import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Authentication's configuration ({@code faas.auth.*}), read once from MicroProfile Config; {@link
 * #authentication()} resolves it (reading the credential files, if named).
 *
 * @param enabled {@code auto}, {@code true} or {@code false}
 * @param maxFailures wrong credentials in a row from one address before it is refused for a while
 * @param maxLockout the longest such refusal
 */
public record AuthSettings(
    String enabled,
    String user,
    Optional<String> password,
    Optional<String> userFile,
    Optional<String> passwordFile,
    boolean protectFunctions,
    boolean protectHealthz,
    boolean protectMetrics,
    int maxFailures,
    Duration maxLockout) {

  public static final String ENABLED = "faas.auth.enabled";
  public static final String USER = "faas.auth.user";
  public static final String PASSWORD = "faas.auth.password";
  public static final String USER_FILE = "faas.auth.user-file";
  public static final String PASSWORD_FILE = "faas.auth.password-file";
  public static final String PROTECT_FUNCTIONS = "faas.auth.protect-functions";
  public static final String PROTECT_HEALTHZ = "faas.auth.protect-healthz";
  public static final String PROTECT_METRICS = "faas.auth.protect-metrics";
  public static final String MAX_FAILURES = "faas.auth.max-failures";
  public static final String MAX_LOCKOUT = "faas.auth.max-lockout";

  public static AuthSettings from(Config config) {
    return new AuthSettings(
        config.getValue(ENABLED, String.class),
        config.getValue(USER, String.class),
        config.getOptionalValue(PASSWORD, String.class),
        config.getOptionalValue(USER_FILE, String.class),
        config.getOptionalValue(PASSWORD_FILE, String.class),
        config.getValue(PROTECT_FUNCTIONS, Boolean.class),
        config.getValue(PROTECT_HEALTHZ, Boolean.class),
        config.getValue(PROTECT_METRICS, Boolean.class),
        config.getValue(MAX_FAILURES, Integer.class),
        config.getValue(MAX_LOCKOUT, Duration.class));
  }

  /** Whether authentication is on, with which credentials, or why it cannot work. */
  public Authentication authentication() {
    return Authentication.resolve(enabled, user, password, userFile, passwordFile);
  }

  /** Which paths need credentials. */
  public ProtectedPaths paths() {
    return new ProtectedPaths(protectFunctions, protectHealthz, protectMetrics);
  }
}
