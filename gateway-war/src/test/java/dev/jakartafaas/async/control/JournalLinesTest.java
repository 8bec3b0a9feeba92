package dev.jakartafaas.async.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.async.control.JournalLines.Accepted;
import dev.jakartafaas.async.control.JournalLines.Attempted;
import dev.jakartafaas.async.control.JournalLines.Ended;
import dev.jakartafaas.async.control.JournalLines.Requeued;
import dev.jakartafaas.async.entity.Attempt;
import dev.jakartafaas.async.entity.CallState;
import dev.jakartafaas.async.entity.QueuedCall;
import dev.jakartafaas.security.control.OutboundUrl;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JournalLinesTest {

  @Test
  void anAcceptedCallRoundTripsWithEveryFieldAndAnyBodyOnOneLine() {
    byte[] body = {0, 10, 13, (byte) 0xff, '"', '\\', 'x'};
    QueuedCall c =
        new QueuedCall(
            "id-1",
            "echo",
            "/a/b%20c",
            "q=1&r=\u00e9",
            List.of(new String[] {"Content-Type", "text/plain"}, new String[] {"X-A", "1\t2"}),
            "127.0.0.1",
            body,
            Optional.of(OutboundUrl.parse("http://127.0.0.1:9000/cb?t=1")));
    String line = JournalLines.encode(new Accepted(c, 1234L, true));
    assertFalse(line.contains("\n"), line);
    Accepted back = (Accepted) JournalLines.decode(line);
    QueuedCall d = back.call();
    assertEquals(1234L, back.at());
    assertTrue(back.withBody());
    assertEquals("id-1", d.callId());
    assertEquals("echo", d.function());
    assertEquals("/a/b%20c", d.path());
    assertEquals("q=1&r=\u00e9", d.query());
    assertEquals(2, d.headers().size());
    assertArrayEquals(new String[] {"X-A", "1\t2"}, d.headers().get(1));
    assertEquals("127.0.0.1", d.peer());
    assertArrayEquals(body, d.body());
    assertEquals(c.callback(), d.callback());
  }

  @Test
  void aCompactedRecordWithoutBodyAndWithoutCallbackOrQueryRoundTrips() {
    QueuedCall c =
        new QueuedCall("id-2", "f", "/", null, List.of(), "", new byte[5], Optional.empty());
    Accepted back = (Accepted) JournalLines.decode(JournalLines.encode(new Accepted(c, 1, false)));
    assertFalse(back.withBody());
    assertEquals(0, back.call().body().length);
    assertEquals(null, back.call().query());
    assertTrue(back.call().callback().isEmpty());
  }

  @Test
  void attemptsEndsAndRequeuesRoundTrip() {
    Attempted a = new Attempted("i", new Attempt(3, 10, 20, 503, "no replica"), 99);
    assertEquals(a, JournalLines.decode(JournalLines.encode(a)));
    Attempted last = new Attempted("i", new Attempt(4, 10, 20, 200, ""), 0);
    assertEquals(last, JournalLines.decode(JournalLines.encode(last)));
    Ended e = new Ended("i", CallState.DEAD, 7);
    assertEquals(e, JournalLines.decode(JournalLines.encode(e)));
    Requeued r = new Requeued("i", 8);
    assertEquals(r, JournalLines.decode(JournalLines.encode(r)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"t\":\"accept\",\"id\":\"x\"", // torn
        "[1,2]",
        "{\"t\":\"attempt\"}",
        "{\"t\":\"nonsense\",\"id\":\"x\"}",
        "{\"t\":\"end\",\"id\":\"x\",\"state\":\"gone\",\"at\":1}",
        "{\"t\":\"attempt\",\"id\":\"x\",\"n\":\"one\",\"start\":1,\"end\":2,\"status\":200}",
      })
  void aDamagedOrTornLineIsRefused(String line) {
    assertThrows(IllegalArgumentException.class, () -> JournalLines.decode(line));
  }
}
