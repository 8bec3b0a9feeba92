/**
 * Functions invoked on a schedule: a deployment annotated {@code topic: cron-function} and {@code
 * schedule: "<cron>"} (the annotations OpenFaaS's cron-connector reads) gets a non-persistent EJB
 * calendar timer whose every firing invokes the function once, never while a run of it is still
 * going.
 */
package dev.jakartafaas.schedule;
