/**
 * Secrets as the API sees them ({@code /system/secrets}): a name and a value that functions read as
 * files. Values are only ever written to the backend's store and to replicas; they never appear in
 * an answer, a log line or a message.
 */
package dev.jakartafaas.secrets;
