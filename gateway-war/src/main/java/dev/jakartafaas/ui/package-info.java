/**
 * The web portal at {@code /ui/}: static files in the WAR (no framework, no CDN) that use the
 * gateway's own API from the browser, and the security headers sent with them.
 */
package dev.jakartafaas.ui;
