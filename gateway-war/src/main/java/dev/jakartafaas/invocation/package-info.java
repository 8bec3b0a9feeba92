/**
 * Calling functions: {@code /function/<name>[/<path>]} is proxied, streaming both ways, to the
 * ready replica with the fewest requests in flight.
 */
package dev.jakartafaas.invocation;
