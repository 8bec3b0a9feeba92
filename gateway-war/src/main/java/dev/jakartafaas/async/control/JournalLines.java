package dev.jakartafaas.async.control;

import dev.jakartafaas.async.entity.Attempt;
import dev.jakartafaas.async.entity.CallState;
import dev.jakartafaas.async.entity.QueuedCall;
import dev.jakartafaas.security.control.OutboundUrl;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The journal's format, version {@value #VERSION}: a header line, then one JSON object per line
 * (UTF-8, no line breaks inside), each an entry of one call. Pure: lines to entries and back; the
 * format is documented in {@code docs/reliability.md}.
 */
final class JournalLines {

  static final int VERSION = 1;
  static final String HEADER = "{\"journal\":\"jakarta-faas-async\",\"version\":" + VERSION + "}";

  /** One line of the journal. */
  sealed interface Entry permits Accepted, Attempted, Ended, Requeued {
    String callId();
  }

  /** A call answered 202; {@code body} is null in a compacted record of a completed call. */
  record Accepted(QueuedCall call, long at, boolean withBody) implements Entry {
    @Override
    public String callId() {
      return call.callId();
    }
  }

  /** An attempt ended; {@code nextAt} is when the retry is due, 0 when none follows. */
  record Attempted(String callId, Attempt attempt, long nextAt) implements Entry {}

  /** The call ended (its callback delivered or given up). */
  record Ended(String callId, CallState state, long at) implements Entry {}

  /** A dead call was queued again. */
  record Requeued(String callId, long at) implements Entry {}

  private JournalLines() {}

  static String encode(Entry entry) {
    JsonObjectBuilder b = Json.createObjectBuilder();
    if (entry instanceof Accepted a) {
      QueuedCall c = a.call();
      b.add("t", "accept").add("id", c.callId()).add("fn", c.function()).add("path", c.path());
      if (c.query() != null) {
        b.add("query", c.query());
      }
      JsonArrayBuilder hs = Json.createArrayBuilder();
      for (String[] h : c.headers()) {
        hs.add(Json.createArrayBuilder().add(h[0]).add(h[1]));
      }
      b.add("headers", hs).add("peer", c.peer() == null ? "" : c.peer());
      c.callback()
          .ifPresent(u -> b.add("callback", u.scheme() + "://" + u.authority() + u.target()));
      b.add("at", a.at());
      if (a.withBody()) {
        b.add("body", Base64.getEncoder().encodeToString(c.body()));
      }
    } else if (entry instanceof Attempted a) {
      Attempt t = a.attempt();
      b.add("t", "attempt")
          .add("id", a.callId())
          .add("n", t.number())
          .add("start", t.startedAt())
          .add("end", t.endedAt())
          .add("status", t.status());
      if (!t.detail().isEmpty()) {
        b.add("detail", t.detail());
      }
      if (a.nextAt() > 0) {
        b.add("next", a.nextAt());
      }
    } else if (entry instanceof Ended e) {
      b.add("t", "end").add("id", e.callId()).add("state", e.state().label()).add("at", e.at());
    } else if (entry instanceof Requeued r) {
      b.add("t", "requeue").add("id", r.callId()).add("at", r.at());
    }
    return b.build().toString();
  }

  /**
   * The entry of one line.
   *
   * @throws IllegalArgumentException when the line is not a valid entry (a torn last line after a
   *     crash, or damage)
   */
  static Entry decode(String line) {
    JsonObject o;
    try (JsonReader r = Json.createReader(new StringReader(line))) {
      o = r.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new IllegalArgumentException("not a JSON object");
    }
    try {
      String id = o.getString("id");
      return switch (o.getString("t")) {
        case "accept" -> {
          List<String[]> headers = new ArrayList<>();
          for (JsonValue v : o.getJsonArray("headers")) {
            JsonArray pair = v.asJsonArray();
            headers.add(new String[] {pair.getString(0), pair.getString(1)});
          }
          boolean withBody = o.containsKey("body");
          byte[] body = withBody ? Base64.getDecoder().decode(o.getString("body")) : new byte[0];
          Optional<OutboundUrl> callback =
              o.containsKey("callback")
                  ? Optional.of(OutboundUrl.parse(o.getString("callback")))
                  : Optional.empty();
          yield new Accepted(
              new QueuedCall(
                  id,
                  o.getString("fn"),
                  o.getString("path"),
                  o.getString("query", null),
                  headers,
                  o.getString("peer", ""),
                  body,
                  callback),
              o.getJsonNumber("at").longValue(),
              withBody);
        }
        case "attempt" ->
            new Attempted(
                id,
                new Attempt(
                    o.getInt("n"),
                    o.getJsonNumber("start").longValue(),
                    o.getJsonNumber("end").longValue(),
                    o.getInt("status"),
                    o.getString("detail", "")),
                o.containsKey("next") ? o.getJsonNumber("next").longValue() : 0);
        case "end" ->
            new Ended(id, CallState.of(o.getString("state")), o.getJsonNumber("at").longValue());
        case "requeue" -> new Requeued(id, o.getJsonNumber("at").longValue());
        default -> throw new IllegalArgumentException("unknown entry type " + o.getString("t"));
      };
    } catch (NullPointerException | ClassCastException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("an entry with a missing or mistyped field");
    }
  }
}
