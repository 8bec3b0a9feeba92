/**
 * The Docker Swarm backend ({@code faas.backend=swarm}): every function is a replicated swarm
 * service on the functions' overlay network (endpoint mode dnsrr, no published ports); the gateway
 * routes to the addresses of its running tasks once their watchdog's health answers 200. Only
 * services labelled {@code function=true} are ever seen or touched. docker-java types stay inside
 * this package.
 */
package dev.jakartafaas.backend.swarm;
