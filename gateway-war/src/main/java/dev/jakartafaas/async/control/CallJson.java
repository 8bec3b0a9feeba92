package dev.jakartafaas.async.control;

import dev.jakartafaas.async.entity.Attempt;
import dev.jakartafaas.async.entity.CallRecord;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A call's record as the API shows it: times in ISO-8601 UTC, each attempt with the wait before it
 * ({@code waitedMillis}: from the end of the one before), the body only when asked (base64).
 */
public final class CallJson {

  private CallJson() {}

  public static JsonObject of(CallRecord r, byte[] body) {
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("callId", r.callId())
            .add("function", r.function())
            .add("state", r.state().label())
            .add("attempts", r.attempts())
            .add("lastStatus", r.lastStatus())
            .add("acceptedAt", time(r.acceptedAt()))
            .add("updatedAt", time(r.updatedAt()))
            .add("callback", r.hasCallback());
    if (r.nextAttemptAt() > 0) {
      b.add("nextAttemptAt", time(r.nextAttemptAt()));
    }
    if (r.endedAt() > 0) {
      b.add("endedAt", time(r.endedAt()));
    }
    JsonArrayBuilder history = Json.createArrayBuilder();
    long previousEnd = 0;
    for (Attempt a : r.history()) {
      JsonObjectBuilder h =
          Json.createObjectBuilder()
              .add("attempt", a.number())
              .add("startedAt", time(a.startedAt()))
              .add("endedAt", time(a.endedAt()))
              .add("status", a.status());
      if (previousEnd > 0) {
        h.add("waitedMillis", Math.max(0, a.startedAt() - previousEnd));
      }
      if (!a.detail().isEmpty()) {
        h.add("detail", a.detail());
      }
      history.add(h);
      previousEnd = a.endedAt();
    }
    b.add("history", history);
    if (body != null) {
      b.add("body", Base64.getEncoder().encodeToString(body));
    }
    return b.build();
  }

  public static String list(List<CallRecord> records) {
    JsonArrayBuilder a = Json.createArrayBuilder();
    for (CallRecord r : records) {
      a.add(of(r, null));
    }
    return a.build().toString();
  }

  private static String time(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }
}
