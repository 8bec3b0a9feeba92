/** {@code /system/logs}: recent output of a function's replicas as newline-delimited JSON. */
package dev.jakartafaas.logs;
