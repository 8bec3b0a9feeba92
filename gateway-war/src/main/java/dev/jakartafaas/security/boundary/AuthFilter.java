package dev.jakartafaas.security.boundary;

import dev.jakartafaas.problems.boundary.ProblemResponses;
import dev.jakartafaas.security.control.AuthSettings;
import dev.jakartafaas.security.control.Authentication;
import dev.jakartafaas.security.control.BasicCredentials;
import dev.jakartafaas.security.control.FailureThrottle;
import dev.jakartafaas.security.control.ProtectedPaths;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Basic authentication in front of every route of the WAR that {@link ProtectedPaths} protects: a
 * request without valid credentials gets 401 with a {@code WWW-Authenticate} challenge, a client
 * that keeps failing gets 429 for a while, and a misconfiguration refuses everyone with 503.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class AuthFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(AuthFilter.class.getName());
  private static final String CHALLENGE = "Basic realm=\"Jakarta FaaS\", charset=\"UTF-8\"";

  @Inject transient AuthSettings config;

  private transient Authentication settings;
  private transient ProtectedPaths paths;
  private transient FailureThrottle throttle;

  @Override
  public void init() {
    settings = config.authentication();
    paths = config.paths();
    throttle = new FailureThrottle(config.maxFailures(), config.maxLockout(), 10_000);
    if (settings.problem().isPresent()) {
      LOG.severe("authentication refuses every request: " + settings.problem().get());
    } else {
      LOG.info(
          () ->
              settings.active()
                  ? "basic authentication on for user "
                      + settings.credentials().get().user()
                      + (config.protectFunctions() ? ", functions included" : "")
                  : "basic authentication off (no password configured)");
    }
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    if (!settings.active() || !paths.requiresCredentials(path)) {
      chain.doFilter(req, resp);
      return;
    }
    if (settings.credentials().isEmpty()) {
      ProblemResponses.write(resp, 503, "authentication is misconfigured; see the gateway log");
      return;
    }
    String client = req.getRemoteAddr();
    Optional<Duration> wait = throttle.blocked(client, System.nanoTime());
    if (wait.isPresent()) {
      tooMany(resp, wait.get());
      return;
    }
    Optional<BasicCredentials> offered =
        BasicCredentials.fromHeader(req.getHeader("Authorization"));
    if (offered.isPresent() && settings.credentials().get().matches(offered.get())) {
      throttle.succeeded(client);
      chain.doFilter(req, resp);
      return;
    }
    if (offered.isPresent()) {
      Duration lockout = throttle.failed(client, System.nanoTime());
      if (!lockout.isZero()) {
        LOG.warning(
            () ->
                "repeated failed logins from "
                    + client
                    + "; refused for "
                    + lockout.toSeconds()
                    + " s");
      }
    }
    resp.setHeader("WWW-Authenticate", CHALLENGE);
    ProblemResponses.write(
        resp,
        401,
        offered.isPresent()
            ? "wrong user name or password"
            : "credentials needed: HTTP basic authentication");
  }

  private static void tooMany(HttpServletResponse resp, Duration wait) throws IOException {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    resp.setHeader("Retry-After", Long.toString(seconds));
    ProblemResponses.write(
        resp, 429, "too many failed logins from this address; try again in " + seconds + " s");
  }
}
