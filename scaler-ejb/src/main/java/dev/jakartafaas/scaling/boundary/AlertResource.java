package dev.jakartafaas.scaling.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.control.FunctionsSettings;
import dev.jakartafaas.functions.control.JsonBody;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.scaling.control.AlertScaling;
import dev.jakartafaas.scaling.control.AlertScaling.Deployed;
import dev.jakartafaas.scaling.control.Scaler;
import dev.jakartafaas.scaling.control.ScalingPolicy;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code POST /system/alert}: Prometheus Alertmanager's webhook, so the OpenFaaS route (Prometheus
 * rule, Alertmanager, gateway) scales functions too. 200 with the replicas it set, by function.
 */
@Path("alert")
public class AlertResource {

  @Inject Backend backend;

  @Inject Scaler scaler;

  @Inject FunctionsSettings settings;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response alert(InputStream body) {
    var alerts = AlertScaling.parse(JsonBody.read(body, settings.maxJsonBytes()));
    Map<String, Deployed> deployed = new HashMap<>();
    for (FunctionState f : backend.list()) {
      deployed.put(
          f.name(), new Deployed(f.replicas(), ScalingPolicy.fromLabels(f.deployment().labels())));
    }
    JsonObjectBuilder scaled = Json.createObjectBuilder();
    AlertScaling.decide(alerts, deployed)
        .forEach(
            (name, replicas) -> {
              // a function deleted since the list was read is skipped like any unknown name
              if (scaler.apply(name, deployed.get(name).replicas(), replicas)) {
                scaled.add(name, replicas);
              }
            });
    return Response.ok(scaled.build()).build();
  }
}
