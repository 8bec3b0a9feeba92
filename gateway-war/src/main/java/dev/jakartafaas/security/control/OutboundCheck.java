package dev.jakartafaas.security.control;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The rule for every URL the platform calls on a user's behalf: each address its host resolves to
 * must be public, or allow-listed by the operator. Checked when the URL is accepted and again, on
 * fresh addresses, right before the call, which then goes to a checked address (so a DNS answer
 * that changes in between cannot lead the call elsewhere).
 */
public final class OutboundCheck {

  /** Resolves a host name or address literal to its addresses. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  /** The JDK's resolver (the system's, with the JVM's cache). */
  public static final Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /** A URL the rule refuses; the message names the rule and the configuration key. */
  public static final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
      super(message, null, false, false);
    }
  }

  private OutboundCheck() {}

  /**
   * Why the rule refuses to call {@code url} at {@code addresses}, or empty if it may be called.
   *
   * @param key the configuration key of the allow-list, named in the reason
   */
  public static Optional<String> refusal(
      OutboundUrl url, List<InetAddress> addresses, OutboundAllowList allow, String key) {
    if (addresses.isEmpty()) {
      return Optional.of("host " + url.host() + " resolves to no address");
    }
    for (InetAddress a : addresses) {
      if (allow.allows(url.host(), url.port(), a)) {
        continue;
      }
      Optional<String> range = OutboundAddresses.refusedRange(a);
      if (range.isPresent()) {
        return Optional.of(
            "host "
                + url.host()
                + " resolves to "
                + a.getHostAddress()
                + ", which is "
                + range.get()
                + ": the platform calls no loopback, link-local, private, multicast or"
                + " unspecified address on a user's behalf unless "
                + key
                + " allows it");
      }
    }
    return Optional.empty();
  }

  /**
   * Resolves the URL's host now and checks every address.
   *
   * @return the checked addresses, in the resolver's order, to connect to
   * @throws RefusedException when the host does not resolve or an address is refused
   */
  public static List<InetAddress> resolve(
      OutboundUrl url, Resolver resolver, OutboundAllowList allow, String key)
      throws RefusedException {
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(url.host());
    } catch (UnknownHostException e) {
      throw new RefusedException("host " + url.host() + " cannot be resolved");
    }
    Optional<String> refusal = refusal(url, addresses, allow, key);
    if (refusal.isPresent()) {
      throw new RefusedException(refusal.get());
    }
    return List.copyOf(addresses);
  }
}
