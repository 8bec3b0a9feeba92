/**
 * MicroProfile Config support: defaults live in this jar's {@code
 * META-INF/microprofile-config.properties}, seen by the WAR and the EAR alike.
 */
package dev.jakartafaas.configuration;
