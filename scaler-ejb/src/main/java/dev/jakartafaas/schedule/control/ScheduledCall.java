package dev.jakartafaas.schedule.control;

/**
 * Invokes a function once for its schedule, with an empty body, through the gateway's invocation
 * path; the gateway (which owns that path) attaches its implementation when it starts.
 */
@FunctionalInterface
public interface ScheduledCall {

  /**
   * @return the HTTP status the invocation ended with
   * @throws Exception when it failed before any status (counted as 502)
   */
  int invoke(String function) throws Exception;
}
