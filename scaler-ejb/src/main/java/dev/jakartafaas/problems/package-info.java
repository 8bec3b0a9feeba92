/**
 * The platform's fixed set of failures and how they are answered: each exception carries its HTTP
 * status and a one-line message, and every entry point (the servlets through {@code
 * ProblemResponses}, the management API through {@code ProblemMapper}) answers them in one format:
 * the status, {@code X-Faas-Internal: true} and the message as plain text.
 */
package dev.jakartafaas.problems;
