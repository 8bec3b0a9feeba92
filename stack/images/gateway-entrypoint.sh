#!/bin/sh
# Entry point of the gateway image: Payara Micro with the gateway WAR on port 8080. Any faas.*
# key can be set as an environment variable (FAAS_BACKEND, FAAS_SWARM_NETWORK, ...); JAVA_OPTS
# replaces the JVM options below.
: "${JAVA_OPTS:=-XX:MaxRAMPercentage=60}"
# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar /opt/faas/payara-micro.jar --nohazelcast \
  --prebootcommandfile /opt/faas/payara-pre-boot.txt \
  --deploy /opt/faas/gateway.war --contextroot / --port 8080
