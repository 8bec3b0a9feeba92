package dev.jakartafaas.security.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboundAddressesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // IPv4
    "127.0.0.1, loopback",
    "127.0.0.2, loopback",
    "127.255.255.254, loopback",
    "0.0.0.0, unspecified",
    "0.1.2.3, unspecified",
    "10.0.0.1, private",
    "10.255.255.255, private",
    "172.16.0.1, private",
    "172.31.255.255, private",
    "192.168.1.1, private",
    "100.64.0.1, carrier-grade NAT",
    "100.127.255.255, carrier-grade NAT",
    "169.254.169.254, link-local",
    "224.0.0.1, multicast",
    "239.255.255.250, multicast",
    "255.255.255.255, reserved",
    "240.0.0.1, reserved",
    "172.15.255.255, public",
    "172.32.0.1, public",
    "100.63.255.255, public",
    "100.128.0.1, public",
    "192.167.1.1, public",
    "169.253.1.1, public",
    "8.8.8.8, public",
    "1.1.1.1, public",
    "11.0.0.1, public",
    "126.255.255.255, public",
    "128.0.0.1, public",
    // IPv6
    "::1, loopback",
    "::, unspecified",
    "fe80::1, link-local",
    "febf::1, link-local",
    "fec0::1, site-local",
    "fc00::1, unique-local",
    "fd12:3456::1, unique-local",
    "ff02::1, multicast",
    "::ffff:127.0.0.1, loopback",
    "::ffff:10.0.0.1, private",
    "::ffff:169.254.169.254, link-local",
    "::ffff:8.8.8.8, public",
    "::127.0.0.1, IPv4-compatible IPv6 (::/96) of loopback",
    "::10.0.0.1, IPv4-compatible IPv6 (::/96) of private",
    "64:ff9b::7f00:1, NAT64 IPv6 (64:ff9b::/96) of loopback",
    "64:ff9b::a9fe:a9fe, NAT64 IPv6 (64:ff9b::/96) of link-local",
    "64:ff9b::808:808, public",
    "2001:4860:4860::8888, public",
    "2a00:1450::1, public",
    "fbff::1, public",
  })
  void refusesTheMachinesOwnAndPrivateRangesAndNothingElse(String address, String expected)
      throws Exception {
    String range = OutboundAddresses.refusedRange(InetAddress.getByName(address)).orElse("public");
    assertEquals(expected, range.substring(0, Math.min(range.length(), expected.length())), range);
  }
}
