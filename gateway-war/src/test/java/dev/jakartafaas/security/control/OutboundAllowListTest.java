package dev.jakartafaas.security.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboundAllowListTest {

  @ParameterizedTest(name = "[{0}] allows {1}:{2} at {3}: {4}")
  @CsvSource({
    "'', 127.0.0.1, 80, 127.0.0.1, false",
    "127.0.0.1/32, 127.0.0.1, 9000, 127.0.0.1, true",
    "127.0.0.1/32, localhost, 9000, 127.0.0.1, true",
    "127.0.0.1/32, 127.0.0.2, 9000, 127.0.0.2, false",
    "127.0.0.1/32, ::1, 9000, ::1, false",
    "127.0.0.1, 127.0.0.1, 1, 127.0.0.1, true",
    "10.1.0.0/16, x, 80, 10.1.255.3, true",
    "10.1.0.0/16, x, 80, 10.2.0.3, false",
    "10.0.0.0/8, x, 80, 10.200.0.1, true",
    "172.16.0.0/12, x, 80, 172.31.0.1, true",
    "172.16.0.0/12, x, 80, 172.32.0.1, false",
    "0.0.0.0/0, x, 80, 169.254.169.254, true",
    "fd00::/8, x, 80, fd12::1, true",
    "fd00::/8, x, 80, fe80::1, false",
    "::1, x, 80, ::1, true",
    "::1/128, x, 80, 127.0.0.1, false",
    "hooks.internal, hooks.internal, 8443, 10.0.0.7, true",
    "hooks.internal, HOOKS.internal, 80, 10.0.0.7, true",
    "hooks.internal, other.internal, 80, 10.0.0.7, false",
    "hooks.internal:8443, hooks.internal, 8443, 10.0.0.7, true",
    "hooks.internal:8443, hooks.internal, 8444, 10.0.0.7, false",
    "hooks.internal, evil.hooks.internal, 80, 10.0.0.7, false",
    "[::1]:9000, ::1, 9000, ::1, true",
    "[::1]:9000, 0:0:0:0:0:0:0:1, 9000, ::1, true",
    "[::1]:9000, ::1, 9001, ::1, false",
    "127.0.0.1:9000, 127.0.0.1, 9000, 127.0.0.1, true",
    "127.0.0.1:9000, 127.0.0.1, 9001, 127.0.0.1, false",
    "' 10.0.0.0/8 ; a.example ', x, 80, 10.0.0.1, true",
    "' 10.0.0.0/8 ; a.example ', a.example, 80, 192.168.0.1, true",
  })
  void allowsListedRangesAndExactHosts(
      String entries, String host, int port, String address, boolean allowed) throws Exception {
    OutboundAllowList list = OutboundAllowList.parse(Arrays.asList(entries.split(";")));
    assertEquals(allowed, list.allows(host, port, InetAddress.getByName(address)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "10.0.0.0/33",
    "10.0.0.0/-1",
    "10.0.0.0/x",
    "fd00::/129",
    "300.1.1.1/8",
    "host:0",
    "host:65536",
    "host:http",
    "a_b.example",
    "[::1",
    "[example.com]:80",
    "http://example.com",
    "*.example.com",
  })
  void refusesEntriesThatAreNeitherRangeNorHost(String entry) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OutboundAllowList.parse(List.of(entry)));
    assertTrue(e.getMessage().contains(entry), e.getMessage());
  }

  @Test
  void emptyEntriesAllowNothing() {
    assertTrue(OutboundAllowList.parse(List.of("", " ")).isEmpty());
    assertTrue(OutboundAllowList.NONE.isEmpty());
  }
}
