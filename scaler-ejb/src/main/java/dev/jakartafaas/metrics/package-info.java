/**
 * Every platform metric the gateway exports on {@code /metrics} (MicroProfile Metrics, with
 * OpenFaaS's names): per function the invocations, their durations, those started and in flight,
 * ready replicas, cold starts and scaling events ({@code FunctionMetrics}); the asynchronous
 * queue's depth, bytes, dead letters, refusals, attempts, retries, ended calls and undelivered
 * callbacks ({@code AsyncMetrics}). The invocation counters also answer the API's {@code
 * invocationCount} and the autoscaler. Series carry only names of deployed functions.
 */
package dev.jakartafaas.metrics;
