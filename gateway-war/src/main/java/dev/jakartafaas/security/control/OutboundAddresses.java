package dev.jakartafaas.security.control;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses the platform must not call on a user's behalf (a callback URL, for one): those
 * that reach the gateway's own machine or its private networks rather than the public internet.
 * IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64) are judged by that address.
 */
public final class OutboundAddresses {

  private OutboundAddresses() {}

  /** The name of the refused range the address is in, or empty for a public address. */
  public static Optional<String> refusedRange(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 4 ? v4(b) : v6(b);
  }

  private static Optional<String> v4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    if (a0 == 0) {
      return Optional.of("unspecified (0.0.0.0/8)");
    }
    if (a0 == 127) {
      return Optional.of("loopback (127.0.0.0/8)");
    }
    if (a0 == 10 || a0 == 172 && (a1 & 0xf0) == 16 || a0 == 192 && a1 == 168) {
      return Optional.of("private (RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)");
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return Optional.of("carrier-grade NAT (100.64.0.0/10)");
    }
    if (a0 == 169 && a1 == 254) {
      return Optional.of("link-local (169.254.0.0/16)");
    }
    if ((a0 & 0xf0) == 224) {
      return Optional.of("multicast (224.0.0.0/4)");
    }
    if ((a0 & 0xf0) == 240) {
      return Optional.of("reserved or broadcast (240.0.0.0/4)");
    }
    return Optional.empty();
  }

  private static Optional<String> v6(byte[] b) {
    if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return embedded(b, "IPv4-mapped IPv6 (::ffff:0:0/96) of ");
    }
    if (zero(b, 0, 12)) {
      if (zero(b, 12, 15) && b[15] == 0) {
        return Optional.of("unspecified (::)");
      }
      if (zero(b, 12, 15) && b[15] == 1) {
        return Optional.of("loopback (::1)");
      }
      return embedded(b, "IPv4-compatible IPv6 (::/96) of ");
    }
    if (b[0] == 0
        && (b[1] & 0xff) == 0x64
        && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b
        && zero(b, 4, 12)) {
      return embedded(b, "NAT64 IPv6 (64:ff9b::/96) of ");
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
      return Optional.of("link-local (fe80::/10)");
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
      return Optional.of("site-local (fec0::/10)");
    }
    if ((b0 & 0xfe) == 0xfc) {
      return Optional.of("unique-local (fc00::/7)");
    }
    if (b0 == 0xff) {
      return Optional.of("multicast (ff00::/8)");
    }
    return Optional.empty();
  }

  private static Optional<String> embedded(byte[] b, String prefix) {
    return v4(new byte[] {b[12], b[13], b[14], b[15]}).map(r -> prefix + r);
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
