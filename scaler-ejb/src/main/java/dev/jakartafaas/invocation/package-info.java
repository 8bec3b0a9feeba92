/**
 * Calling functions: the per-function invocation metrics that {@code /metrics}, the API's {@code
 * invocationCount} and the autoscaler read (the proxy itself lives in the gateway WAR).
 */
package dev.jakartafaas.invocation;
