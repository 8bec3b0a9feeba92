package dev.jakartafaas.functions.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.control.FunctionJson;
import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.metrics.control.FunctionMetrics;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.schedule.boundary.ScheduleTimers;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /system/function/{name}}: one FunctionStatus, 404 if absent. */
@Path("function/{name}")
public class FunctionResource {

  @Inject Backend backend;

  @Inject FunctionMetrics counts;

  @Inject ScheduleTimers schedules;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public String get(
      @PathParam("name") String reference, @QueryParam("namespace") String namespace) {
    FunctionNames.requireNamespace(namespace);
    String name = FunctionNames.resolve(reference);
    return backend
        .find(name)
        .map(s -> FunctionJson.status(s, counts.count(name), schedules.next(name)).toString())
        .orElseThrow(() -> new FunctionNotFoundException("function " + name + " not found"));
  }
}
