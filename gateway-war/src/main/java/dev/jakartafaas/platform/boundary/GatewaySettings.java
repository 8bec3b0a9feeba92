package dev.jakartafaas.platform.boundary;

import dev.jakartafaas.async.control.AsyncSettings;
import dev.jakartafaas.invocation.control.InvocationSettings;
import dev.jakartafaas.logs.control.LogsSettings;
import dev.jakartafaas.platform.control.PlatformSettings;
import dev.jakartafaas.security.control.AuthSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Reads MicroProfile Config once into the settings record of each component of the WAR (the EJB
 * jar's components have theirs in {@code dev.jakartafaas.configuration.boundary.Settings}); the
 * defaults are in the EJB jar's {@code META-INF/microprofile-config.properties}, which an EAR's web
 * module sees too.
 */
@ApplicationScoped
public class GatewaySettings {

  @Inject Config config;

  @Produces
  @Singleton
  InvocationSettings invocation() {
    return InvocationSettings.from(config);
  }

  @Produces
  @Singleton
  PlatformSettings platform() {
    return PlatformSettings.from(config);
  }

  @Produces
  @Singleton
  AsyncSettings async() {
    return AsyncSettings.from(config);
  }

  @Produces
  @Singleton
  LogsSettings logs() {
    return LogsSettings.from(config);
  }

  @Produces
  @Singleton
  AuthSettings auth() {
    return AuthSettings.from(config);
  }
}
