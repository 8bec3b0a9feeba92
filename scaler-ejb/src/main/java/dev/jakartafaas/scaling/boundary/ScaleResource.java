package dev.jakartafaas.scaling.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.control.FunctionJson;
import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.functions.control.FunctionsSettings;
import dev.jakartafaas.functions.control.JsonBody;
import dev.jakartafaas.functions.entity.ScaleRequest;
import dev.jakartafaas.scaling.control.ScalerSettings;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** {@code POST /system/scale-function/{name}} with {@code {"serviceName", "replicas"}}: 202. */
@Path("scale-function/{name}")
public class ScaleResource {

  @Inject Backend backend;

  @Inject FunctionsSettings json;

  @Inject ScalerSettings settings;

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response scale(
      @PathParam("name") String reference,
      @QueryParam("namespace") String namespace,
      InputStream body) {
    FunctionNames.requireNamespace(namespace);
    String name = FunctionNames.resolve(reference);
    ScaleRequest request =
        FunctionJson.scaleRequest(
            name, JsonBody.read(body, json.maxJsonBytes()), settings.maxReplicas());
    backend.scale(request.serviceName(), request.replicas());
    return Response.accepted().build();
  }
}
