/**
 * The platform's fixed set of failures: each exception carries its HTTP status and a one-line
 * message, so that every entry point reports errors the same way.
 */
package dev.jakartafaas.problems;
