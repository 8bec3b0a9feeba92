package dev.jakartafaas.functions.entity;

/**
 * CDI event: a function was deleted through the API, so whatever is kept per function (metrics
 * series, asynchronous call counters) can be dropped.
 */
public record FunctionRemoved(String name) {}
