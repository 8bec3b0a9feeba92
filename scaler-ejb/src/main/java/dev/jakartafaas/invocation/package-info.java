/**
 * Calling functions: the invocation counts the API reports and the autoscaler will read (the proxy
 * itself lives in the gateway WAR).
 */
package dev.jakartafaas.invocation;
