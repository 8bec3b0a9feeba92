package dev.jakartafaas.watchdog;

import java.net.URI;
import java.net.URISyntaxException;

/** Host and port of the function's own HTTP server in {@code mode=http}. */
record UpstreamAddress(String host, int port) {

  static UpstreamAddress parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw invalid(url);
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw invalid(url);
    }
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    return new UpstreamAddress(uri.getHost(), port);
  }

  private static WatchdogConfig.InvalidConfigException invalid(String url) {
    return new WatchdogConfig.InvalidConfigException(
        "upstream_url="
            + url
            + " is not valid: use http://host:port, for example http://127.0.0.1:5000");
  }
}
