package dev.jakartafaas.configuration.boundary;

import dev.jakartafaas.backend.control.BackendSettings;
import dev.jakartafaas.backend.process.control.ProcessSettings;
import dev.jakartafaas.backend.swarm.control.SwarmSettings;
import dev.jakartafaas.functions.control.FunctionsSettings;
import dev.jakartafaas.scaling.control.ScalerSettings;
import dev.jakartafaas.schedule.control.ScheduleSettings;
import dev.jakartafaas.secrets.control.SecretsSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Reads MicroProfile Config once into the settings record of each component of this jar; a
 * component injects its record and never reads a key itself. The defaults are in this jar's {@code
 * META-INF/microprofile-config.properties} only. (The WAR's components have theirs in {@code
 * dev.jakartafaas.platform.boundary.GatewaySettings}.)
 */
@ApplicationScoped
public class Settings {

  @Inject Config config;

  @Produces
  @Singleton
  BackendSettings backend() {
    return BackendSettings.from(config);
  }

  @Produces
  @Singleton
  ProcessSettings process() {
    return ProcessSettings.from(config);
  }

  @Produces
  @Singleton
  SwarmSettings swarm() {
    return SwarmSettings.from(config);
  }

  @Produces
  @Singleton
  ScalerSettings scaler() {
    return ScalerSettings.from(config);
  }

  @Produces
  @Singleton
  FunctionsSettings functions() {
    return FunctionsSettings.from(config);
  }

  @Produces
  @Singleton
  ScheduleSettings schedule() {
    return ScheduleSettings.from(config);
  }

  @Produces
  @Singleton
  SecretsSettings secrets() {
    return SecretsSettings.from(config);
  }
}
