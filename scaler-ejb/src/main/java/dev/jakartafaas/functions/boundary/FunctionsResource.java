package dev.jakartafaas.functions.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.control.FunctionJson;
import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.functions.control.FunctionsSettings;
import dev.jakartafaas.functions.control.JsonBody;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionRemoved;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.metrics.control.FunctionMetrics;
import dev.jakartafaas.scaling.control.ScalingPolicy;
import dev.jakartafaas.schedule.boundary.ScheduleTimers;
import dev.jakartafaas.schedule.control.ScheduleAnnotations;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * {@code /system/functions}: list, deploy (202), update (202, 404 if absent) and delete (202, 404)
 * with OpenFaaS's documents. Bodies are read with a size limit and parsed strictly.
 */
@Path("functions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class FunctionsResource {

  @Inject Backend backend;

  @Inject FunctionMetrics counts;

  @Inject Event<FunctionRemoved> removed;

  @Inject FunctionsSettings settings;

  @Inject ScheduleTimers schedules;

  @GET
  public String list(@QueryParam("namespace") String namespace) {
    FunctionNames.requireNamespace(namespace);
    JsonArrayBuilder functions = Json.createArrayBuilder();
    for (FunctionState s : backend.list()) {
      functions.add(FunctionJson.status(s, counts.count(s.name()), schedules.next(s.name())));
    }
    return functions.build().toString();
  }

  @POST
  public Response deploy(@QueryParam("namespace") String namespace, InputStream body) {
    FunctionNames.requireNamespace(namespace);
    FunctionDeployment d = FunctionJson.deployment(JsonBody.read(body, settings.maxJsonBytes()));
    ScheduleAnnotations.of(d); // a bad schedule is 400 before anything is deployed
    FunctionState s = backend.deploy(d, ScalingPolicy.fromLabels(d.labels()).initialReplicas());
    counts.track(s.name());
    schedules.set(s.deployment());
    return Response.accepted(FunctionJson.status(s, 0, schedules.next(s.name())).toString())
        .build();
  }

  @PUT
  public Response update(@QueryParam("namespace") String namespace, InputStream body) {
    FunctionNames.requireNamespace(namespace);
    FunctionDeployment d = FunctionJson.deployment(JsonBody.read(body, settings.maxJsonBytes()));
    ScheduleAnnotations.of(d);
    FunctionState s = backend.update(d);
    schedules.set(s.deployment());
    return Response.accepted(
            FunctionJson.status(s, counts.count(s.name()), schedules.next(s.name())).toString())
        .build();
  }

  @DELETE
  public Response delete(@QueryParam("namespace") String namespace, InputStream body) {
    FunctionNames.requireNamespace(namespace);
    String name = FunctionJson.deleteRequest(JsonBody.read(body, settings.maxJsonBytes()));
    backend.remove(name);
    schedules.cancel(name);
    removed.fire(new FunctionRemoved(name));
    return Response.accepted().build();
  }
}
