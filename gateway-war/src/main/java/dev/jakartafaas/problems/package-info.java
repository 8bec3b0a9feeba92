/**
 * How platform errors are answered: one format (status, {@code X-Faas-Internal: true}, a one-line
 * plain-text message) for the servlets and the JAX-RS resources alike.
 */
package dev.jakartafaas.problems;
