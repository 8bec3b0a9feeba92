/**
 * The gateway's own routes: the JAX-RS application, {@code /system/info}, {@code /healthz}, {@code
 * /}.
 */
package dev.jakartafaas.platform;
