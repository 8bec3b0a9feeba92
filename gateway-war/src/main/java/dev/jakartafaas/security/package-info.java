/**
 * Who may call the gateway: HTTP basic authentication on the management API and the portal (and,
 * when configured, on invocations and health), with repeated failures from one client slowed down.
 */
package dev.jakartafaas.security;
