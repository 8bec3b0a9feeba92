/**
 * Changing a function's replica count by hand through the API (the autoscaler is in scaler-ejb).
 */
package dev.jakartafaas.scaling;
