package dev.jakartafaas.functions.boundary;

import dev.jakartafaas.functions.control.FunctionNames;
import jakarta.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /system/namespaces}: the one namespace, for OpenFaaS clients that ask. */
@Path("namespaces")
public class NamespacesResource {

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public String list() {
    return Json.createArrayBuilder().add(FunctionNames.NAMESPACE).build().toString();
  }
}
