/**
 * The gateway's own routes: the JAX-RS application, {@code /system/info}, {@code /healthz}, {@code
 * /}; and the deadline every request body must meet ({@code faas.gateway.read-timeout}).
 */
package dev.jakartafaas.platform;
