package dev.jakartafaas.functions.boundary;

import dev.jakartafaas.async.control.AsyncCalls;
import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.control.FunctionJson;
import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.invocation.control.InvocationCounts;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code /system/functions}: list, deploy (202), update (202, 404 if absent) and delete (202, 404)
 * with OpenFaaS's documents. Bodies are read with a size limit and parsed strictly.
 */
@Path("functions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class FunctionsResource {

  @Inject Backend backend;

  @Inject InvocationCounts counts;

  @Inject AsyncCalls asyncCalls;

  @Inject
  @ConfigProperty(name = "faas.gateway.max-json-bytes", defaultValue = "262144")
  int maxJsonBytes;

  @GET
  public String list(@QueryParam("namespace") String namespace) {
    FunctionNames.requireNamespace(namespace);
    JsonArrayBuilder functions = Json.createArrayBuilder();
    for (FunctionState s : backend.list()) {
      functions.add(FunctionJson.status(s, counts.count(s.name())));
    }
    return functions.build().toString();
  }

  @POST
  public Response deploy(@QueryParam("namespace") String namespace, InputStream body) {
    FunctionNames.requireNamespace(namespace);
    FunctionState s =
        backend.deploy(FunctionJson.deployment(FunctionJson.readBody(body, maxJsonBytes)));
    counts.track(s.name());
    return Response.accepted(FunctionJson.status(s, 0).toString()).build();
  }

  @PUT
  public Response update(@QueryParam("namespace") String namespace, InputStream body) {
    FunctionNames.requireNamespace(namespace);
    FunctionState s =
        backend.update(FunctionJson.deployment(FunctionJson.readBody(body, maxJsonBytes)));
    return Response.accepted(FunctionJson.status(s, counts.count(s.name())).toString()).build();
  }

  @DELETE
  public Response delete(@QueryParam("namespace") String namespace, InputStream body) {
    FunctionNames.requireNamespace(namespace);
    String name = FunctionJson.deleteRequest(FunctionJson.readBody(body, maxJsonBytes));
    backend.remove(name);
    counts.forget(name);
    asyncCalls.forget(name);
    return Response.accepted().build();
  }
}
