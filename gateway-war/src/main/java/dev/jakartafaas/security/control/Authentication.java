package dev.jakartafaas.security.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What the configuration says about authentication, resolved once: whether it is on, the one pair
 * of credentials (from values or from files such as OpenFaaS's {@code basic-auth-user} and {@code
 * basic-auth-password} secrets), or why it cannot work.
 *
 * @param active whether protected paths need credentials
 * @param credentials the accepted credentials; empty when active but misconfigured
 * @param problem why an active configuration cannot accept anyone (never contains a secret)
 */
public record Authentication(
    boolean active, Optional<BasicCredentials> credentials, Optional<String> problem) {

  /**
   * Resolves the settings. {@code enabled} is {@code auto} (on when a password is configured),
   * {@code true} or {@code false}; a file, when named, wins over the plain value.
   */
  public static Authentication resolve(
      String enabled,
      String user,
      Optional<String> password,
      Optional<String> userFile,
      Optional<String> passwordFile) {
    String mode = enabled == null ? "auto" : enabled.strip().toLowerCase(Locale.ROOT);
    if (!mode.equals("auto") && !mode.equals("true") && !mode.equals("false")) {
      return new Authentication(
          true,
          Optional.empty(),
          Optional.of("faas.auth.enabled must be auto, true or false, not '" + enabled + "'"));
    }
    if (mode.equals("false")) {
      return new Authentication(false, Optional.empty(), Optional.empty());
    }
    boolean passwordGiven =
        password.filter(p -> !p.isEmpty()).isPresent()
            || passwordFile.filter(f -> !f.isBlank()).isPresent();
    if (mode.equals("auto") && !passwordGiven) {
      return new Authentication(false, Optional.empty(), Optional.empty());
    }
    try {
      String u = read(userFile, "faas.auth.user-file").orElse(user == null ? "" : user.strip());
      Optional<String> p = read(passwordFile, "faas.auth.password-file").or(() -> password);
      if (u.isEmpty() || u.contains(":")) {
        return misconfigured("the user name (faas.auth.user) must be non-empty, without ':'");
      }
      if (p.filter(s -> !s.isEmpty()).isEmpty()) {
        return misconfigured(
            "authentication is on but no password is configured"
                + " (faas.auth.password or faas.auth.password-file)");
      }
      return new Authentication(
          true, Optional.of(new BasicCredentials(u, p.get())), Optional.empty());
    } catch (IOException e) {
      return misconfigured(e.getMessage());
    }
  }

  private static Authentication misconfigured(String why) {
    return new Authentication(true, Optional.empty(), Optional.of(why));
  }

  /** A secret file's content without trailing line ends (as OpenFaaS reads them). */
  private static Optional<String> read(Optional<String> file, String key) throws IOException {
    if (file.filter(f -> !f.isBlank()).isEmpty()) {
      return Optional.empty();
    }
    Path path = Path.of(file.get().strip());
    try {
      return Optional.of(
          Files.readString(path, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", ""));
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "cannot read " + key + " " + path + " (" + e.getClass().getSimpleName() + ")");
    }
  }
}
