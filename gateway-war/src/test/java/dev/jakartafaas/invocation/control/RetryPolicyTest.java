package dev.jakartafaas.invocation.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jakartafaas.invocation.control.RetryPolicy.Decision;
import dev.jakartafaas.invocation.control.RetryPolicy.Failure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When the proxy sends a request again, failure by failure. */
class RetryPolicyTest {

  @ParameterizedTest(name = "{0}, spent {1}, repeatable {2}: {3}")
  @CsvSource({
    // a connect that failed sent nothing: once more, to another replica, whatever the request
    "CONNECT_REFUSED, 0, false, OTHER_REPLICA",
    "CONNECT_REFUSED, 0, true, OTHER_REPLICA",
    "CONNECT_UNREACHABLE, 0, false, OTHER_REPLICA",
    "CONNECT_REFUSED, 1, true, GIVE_UP",
    "CONNECT_UNREACHABLE, 1, false, GIVE_UP",
    "CONNECT_REFUSED, 2, false, OTHER_REPLICA",
    "CONNECT_REFUSED, 3, true, GIVE_UP",
    // any other connect failure is answered at once
    "CONNECT_FAILED, 0, true, GIVE_UP",
    "CONNECT_FAILED, 0, false, GIVE_UP",
    // a stale pooled connection: once more on a fresh one, only for a repeatable request
    "STALE_CONNECTION, 0, true, FRESH_CONNECTION",
    "STALE_CONNECTION, 1, true, FRESH_CONNECTION",
    "STALE_CONNECTION, 0, false, GIVE_UP",
    "STALE_CONNECTION, 2, true, GIVE_UP",
    "STALE_CONNECTION, 3, true, GIVE_UP",
  })
  void decidesWhetherToSendAgain(Failure failure, int spent, boolean repeatable, Decision d) {
    assertEquals(d, RetryPolicy.decide(failure, spent, repeatable));
  }

  @ParameterizedTest(name = "{0} after spent {1}: spent {2}, fresh only {3}")
  @CsvSource({
    "OTHER_REPLICA, 0, 1, false",
    "FRESH_CONNECTION, 0, 2, true",
    "FRESH_CONNECTION, 1, 3, true",
    "OTHER_REPLICA, 2, 3, true",
    "GIVE_UP, 1, 1, false",
  })
  void eachRetryIsSpentOnce(Decision d, int before, int after, boolean freshOnly) {
    int spent = RetryPolicy.spend(before, d);
    assertEquals(after, spent);
    assertEquals(freshOnly, RetryPolicy.freshOnly(spent));
  }
}
