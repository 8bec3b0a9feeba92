/**
 * The gateway's own routes: the JAX-RS application (which lists the management API's resources),
 * {@code /system/info}, {@code /healthz}, {@code /} and the error page for what the container
 * answers itself; the limits of a request's head and the deadline every request body must meet
 * ({@code faas.gateway.read-timeout}).
 */
package dev.jakartafaas.platform;
