package dev.jakartafaas.ui.control;

import java.util.Map;

/**
 * The headers every portal response carries: scripts only from the gateway itself (no inline
 * script), no MIME sniffing, never inside a frame. The page fetches only same-origin URLs.
 */
public final class SecurityHeaders {

  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:;"
          + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  /** Header name to value. */
  public static final Map<String, String> ALL =
      Map.of(
          "Content-Security-Policy", CONTENT_SECURITY_POLICY,
          "X-Content-Type-Options", "nosniff",
          "X-Frame-Options", "DENY",
          "Referrer-Policy", "no-referrer",
          "Cache-Control", "no-cache");

  private SecurityHeaders() {}
}
