/**
 * Autoscaling: the policy a function's labels set and the pure replica calculation the scaler's
 * timer applies every interval.
 */
package dev.jakartafaas.scaling;
