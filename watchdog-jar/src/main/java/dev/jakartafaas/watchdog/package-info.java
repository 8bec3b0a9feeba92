/**
 * The watchdog that runs inside every function replica: an HTTP server that feeds each request to a
 * Unix process ({@code mode=fork}) or to a long-running HTTP function ({@code mode=http}). Plain
 * Java, no dependencies, configured by OpenFaaS's environment variables.
 */
package dev.jakartafaas.watchdog;
