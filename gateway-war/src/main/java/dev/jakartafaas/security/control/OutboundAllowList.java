package dev.jakartafaas.security.control;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The operator's exceptions to {@link OutboundAddresses}: address ranges ({@code 10.1.0.0/16},
 * {@code fd00::/8}, a bare address is one address) that may be called whatever name led to them,
 * and host names with an optional port ({@code hooks.internal}, {@code hooks.internal:8443}) whose
 * every address may be called when the URL names exactly that host. Empty allows nothing extra.
 */
public record OutboundAllowList(List<Range> ranges, List<HostPort> hosts) {

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern HOST_NAME =
      Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  /** Addresses whose first {@code bits} bits equal {@code network}'s. */
  public record Range(byte[] network, int bits) {
    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }
  }

  /** A host name or address literal (lower case, IPv6 without brackets); port -1 for any. */
  public record HostPort(String host, int port) {}

  public static final OutboundAllowList NONE = new OutboundAllowList(List.of(), List.of());

  /**
   * Parses the configured entries.
   *
   * @throws IllegalArgumentException naming the first entry that is neither a range nor a host
   */
  public static OutboundAllowList parse(List<String> entries) {
    List<Range> ranges = new ArrayList<>();
    List<HostPort> hosts = new ArrayList<>();
    for (String raw : entries) {
      String e = raw.strip().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      int slash = e.indexOf('/');
      if (slash >= 0) {
        byte[] network = literal(e.substring(0, slash));
        int bits = bits(e.substring(slash + 1));
        if (network == null || bits < 0 || bits > network.length * 8) {
          throw invalid(raw);
        }
        ranges.add(new Range(network, bits));
      } else if (literal(e) != null) {
        byte[] a = literal(e);
        ranges.add(new Range(a, a.length * 8));
      } else {
        hosts.add(hostPort(e, raw));
      }
    }
    return new OutboundAllowList(List.copyOf(ranges), List.copyOf(hosts));
  }

  /** True if the URL's {@code host} and {@code port}, reaching {@code address}, may be called. */
  public boolean allows(String host, int port, InetAddress address) {
    for (Range r : ranges) {
      if (r.contains(address)) {
        return true;
      }
    }
    String h = normalHost(host);
    for (HostPort hp : hosts) {
      if (hp.host().equals(h) && (hp.port() == -1 || hp.port() == port)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return ranges.isEmpty() && hosts.isEmpty();
  }

  private static HostPort hostPort(String e, String raw) {
    String host = e;
    int port = -1;
    if (e.startsWith("[")) {
      int close = e.indexOf(']');
      if (close < 0) {
        throw invalid(raw);
      }
      host = e.substring(1, close);
      String rest = e.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw invalid(raw);
        }
        port = port(rest.substring(1), raw);
      }
      if (literal(host) == null) {
        throw invalid(raw);
      }
      return new HostPort(normalHost(host), port);
    }
    int colon = e.lastIndexOf(':');
    if (colon >= 0) {
      host = e.substring(0, colon);
      port = port(e.substring(colon + 1), raw);
    }
    if (!HOST_NAME.matcher(host).matches() && literal(host) == null) {
      throw invalid(raw);
    }
    return new HostPort(normalHost(host), port);
  }

  /** An address literal in its canonical text, so that {@code ::1} matches {@code 0:0::1}. */
  private static String normalHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.contains(":")) {
      try {
        return InetAddress.getByName(h).getHostAddress();
      } catch (UnknownHostException e) {
        return h;
      }
    }
    return h;
  }

  /** The address of an IPv4 dotted quad or an IPv6 literal, or null (never asks the DNS). */
  static byte[] literal(String s) {
    if (IPV4.matcher(s).matches()) {
      String[] p = s.split("\\.");
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        b[i] = (byte) Integer.parseInt(p[i]);
      }
      return b;
    }
    if (s.contains(":") && s.matches("[0-9a-f:.]+")) {
      try {
        // a string with ':' is only ever parsed as an IPv6 literal, never looked up
        byte[] b = InetAddress.getByName(s).getAddress();
        return b.length == 16 || s.startsWith("::ffff:") ? b : null;
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return null;
  }

  private static int bits(String s) {
    return s.matches("\\d{1,3}") ? Integer.parseInt(s) : -1;
  }

  private static int port(String s, String raw) {
    if (!s.matches("\\d{1,5}")) {
      throw invalid(raw);
    }
    int p = Integer.parseInt(s);
    if (p < 1 || p > 65535) {
      throw invalid(raw);
    }
    return p;
  }

  private static IllegalArgumentException invalid(String raw) {
    return new IllegalArgumentException(
        "'"
            + raw.strip()
            + "' is neither an address range (10.0.0.0/8, fd00::/8) nor a host[:port]");
  }
}
