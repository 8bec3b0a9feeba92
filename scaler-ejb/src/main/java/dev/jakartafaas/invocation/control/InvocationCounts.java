package dev.jakartafaas.invocation.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts invocations per deployed function for {@code invocationCount}. Only names that resolved to
 * a deployed function are ever counted, so request data cannot grow this map.
 */
@ApplicationScoped
public class InvocationCounts {

  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

  public void increment(String function) {
    counts.computeIfAbsent(function, f -> new LongAdder()).increment();
  }

  public long count(String function) {
    LongAdder a = counts.get(function);
    return a == null ? 0 : a.sum();
  }

  public void forget(String function) {
    counts.remove(function);
  }
}
