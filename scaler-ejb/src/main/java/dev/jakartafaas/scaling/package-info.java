/**
 * Changing how many replicas a function has: the policy its labels set, the pure decisions (the
 * autoscaler's replica calculation, Alertmanager's webhook, a request for a function at zero), the
 * autoscaler's timer, {@code /system/scale-function} and {@code /system/alert}, and the one place
 * that applies a decision and counts it.
 */
package dev.jakartafaas.scaling;
