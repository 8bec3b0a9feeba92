/**
 * The gateway's half of scheduled functions: it gives the schedule timers (in the EJB jar) the
 * invocation path every call takes, and starts them once the gateway is up.
 */
package dev.jakartafaas.schedule;
