package dev.jakartafaas.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The root of the gateway an Arquillian test class deployed, on loopback. Payara listens on every
 * interface, and when the port Arquillian chose is taken at boot it binds the next free one ({@code
 * --autoBindHttp}) while the URL Arquillian reports keeps the first: so the ports from the reported
 * one up are tried until one answers {@code /healthz} with 200 (bounded wait).
 */
public final class GatewayRoot {

  private static final Map<Object, String> FOUND = new ConcurrentHashMap<>();

  private GatewayRoot() {}

  /**
   * The root for {@code testClass}'s gateway, found on the first call and then remembered (each
   * test class boots its own gateway, which may sit on another port than the previous one).
   */
  public static String of(Class<?> testClass, URL reported, HttpClient http)
      throws InterruptedException {
    return of((Object) testClass, reported, http);
  }

  /**
   * The root of the gateway Arquillian deployed last ({@link DeployedGateway}), for the classes
   * that share one deployment; found on the first call for that deployment, then remembered.
   */
  public static String ofShared(HttpClient http) throws InterruptedException {
    URL reported = DeployedGateway.url();
    return of(reported.toString(), reported, http);
  }

  private static String of(Object key, URL reported, HttpClient http) throws InterruptedException {
    String root = FOUND.get(key);
    if (root == null) {
      try {
        root = find(reported, http);
      } catch (InterruptedException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      FOUND.put(key, root);
    }
    return root;
  }

  private static String find(URL reported, HttpClient http) throws Exception {
    int first = reported.getPort() == -1 ? 80 : reported.getPort();
    String path = reported.getPath().replaceFirst("/$", "");
    String[] found = new String[1];
    Poll.until(
        Duration.ofSeconds(60),
        "the gateway answers /healthz near " + reported,
        () -> {
          for (int port = first; port < first + 20 && found[0] == null; port++) {
            String candidate = "http://127.0.0.1:" + port + path;
            if (healthy(http, candidate)) {
              found[0] = candidate;
            }
          }
          return found[0] != null;
        });
    return found[0];
  }

  private static boolean healthy(HttpClient http, String candidate) throws InterruptedException {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create(candidate + "/healthz"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false; // nothing (of ours) listens there
    }
  }
}
