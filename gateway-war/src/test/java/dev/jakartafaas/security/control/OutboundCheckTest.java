package dev.jakartafaas.security.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboundCheckTest {

  private static final String KEY = "faas.async.callback-allow";

  /** A fixed DNS: names to addresses separated by spaces. */
  private static final Map<String, String> DNS =
      Map.of(
          "public.example", "93.184.215.14",
          "two.example", "93.184.215.14 2606:2800:21f:cb07:6820:80da:af6b:8b2c",
          "localhost", "127.0.0.1 ::1",
          "mixed.example", "93.184.215.14 10.0.0.1",
          "metadata.example", "169.254.169.254",
          "v6loop.example", "::1",
          "mapped.example", "::ffff:192.168.1.1",
          "empty.example", "",
          "hooks.internal", "10.0.0.7");

  private static List<InetAddress> lookup(String host) throws UnknownHostException {
    String spec = DNS.get(host);
    if (spec == null) {
      if (host.matches("[0-9.]+|.*:.*")) {
        return List.of(InetAddress.getByName(host));
      }
      throw new UnknownHostException(host);
    }
    List<InetAddress> out = new ArrayList<>();
    for (String a : spec.split(" ")) {
      if (!a.isEmpty()) {
        out.add(InetAddress.getByName(a));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} with [{1}] -> {2}")
  @CsvSource({
    "http://public.example/, '', ok",
    "https://two.example:8443/x, '', ok",
    "http://93.184.215.14/, '', ok",
    "http://localhost:9000/, '', loopback",
    "http://localhost:9000/, 127.0.0.1/32, loopback (::1)",
    "http://localhost:9000/, 127.0.0.1/32;::1, ok",
    "http://mixed.example/, '', private",
    "http://metadata.example/, '', link-local",
    "http://169.254.169.254/latest/meta-data/, '', link-local",
    "http://v6loop.example/, '', loopback (::1)",
    "http://mapped.example/, '', private",
    "http://[::1]:9000/, 127.0.0.1/32, loopback (::1)",
    "http://127.0.0.2:9000/, 127.0.0.1/32, loopback",
    "http://2130706434:9000/, 127.0.0.1/32, loopback",
    "http://10.0.0.1/, 127.0.0.1/32, private",
    "http://192.168.1.1/, 127.0.0.1/32, private",
    "http://100.64.0.1/, '', carrier-grade NAT",
    "http://[fd00::1]/, '', unique-local",
    "http://[::ffff:10.0.0.1]/, '', private",
    "http://0.0.0.0:9000/, '', unspecified",
    "http://hooks.internal:8443/, hooks.internal:8443, ok",
    "http://hooks.internal:8444/, hooks.internal:8443, private",
    "http://hooks.internal/, 10.0.0.0/8, ok",
    "http://empty.example/, '', resolves to no address",
    "http://nowhere.example/, '', cannot be resolved",
  })
  void callsOnlyPublicOrAllowListedAddresses(String url, String allow, String expected) {
    OutboundAllowList list = OutboundAllowList.parse(List.of(allow.split(";")));
    OutboundUrl u = OutboundUrl.parse(url);
    if (expected.equals("ok")) {
      assertEquals(
          assertDoesNotThrow(() -> lookup(u.host())),
          assertDoesNotThrow(() -> OutboundCheck.resolve(u, OutboundCheckTest::lookup, list, KEY)));
    } else {
      OutboundCheck.RefusedException e =
          assertThrows(
              OutboundCheck.RefusedException.class,
              () -> OutboundCheck.resolve(u, OutboundCheckTest::lookup, list, KEY));
      assertTrue(e.getMessage().contains(expected), e.getMessage());
      if (!expected.contains("resolve")) {
        assertTrue(e.getMessage().contains(KEY), "names the configuration key: " + e.getMessage());
      }
    }
  }

  @Test
  void aNameThatResolvesElsewhereAtSendTimeIsRefusedThen() throws Exception {
    // DNS rebinding: public when the call is queued, loopback when the callback is sent
    AtomicInteger lookups = new AtomicInteger();
    OutboundCheck.Resolver rebinding =
        host ->
            List.of(
                InetAddress.getByName(
                    lookups.getAndIncrement() == 0 ? "93.184.215.14" : "127.0.0.1"));
    OutboundUrl u = OutboundUrl.parse("http://rebind.example/");
    assertEquals(
        List.of(InetAddress.getByName("93.184.215.14")),
        OutboundCheck.resolve(u, rebinding, OutboundAllowList.NONE, KEY));
    OutboundCheck.RefusedException e =
        assertThrows(
            OutboundCheck.RefusedException.class,
            () -> OutboundCheck.resolve(u, rebinding, OutboundAllowList.NONE, KEY));
    assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
  }

  private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
    return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
  }
}
