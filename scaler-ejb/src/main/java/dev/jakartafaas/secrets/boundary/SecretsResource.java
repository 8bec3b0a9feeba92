package dev.jakartafaas.secrets.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.functions.control.JsonBody;
import dev.jakartafaas.secrets.control.SecretJson;
import dev.jakartafaas.secrets.control.SecretsSettings;
import jakarta.inject.Inject;
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
 * {@code /system/secrets}: list names (200), create (202, 409 if it exists), update (202, 404 if
 * absent) and delete (202, 404 if absent, 409 while a function names it), with OpenFaaS's Secret
 * document and faas-netes's status codes. Values go to the backend and nowhere else.
 */
@Path("secrets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class SecretsResource {

  @Inject Backend backend;

  @Inject SecretsSettings settings;

  @GET
  public String list(@QueryParam("namespace") String namespace) {
    FunctionNames.requireNamespace(namespace);
    return SecretJson.list(backend.secretNames());
  }

  @POST
  public Response create(@QueryParam("namespace") String namespace, InputStream body) {
    FunctionNames.requireNamespace(namespace);
    backend.createSecret(SecretJson.secret(read(body), settings.maxValueBytes()));
    return Response.accepted().build();
  }

  @PUT
  public Response update(@QueryParam("namespace") String namespace, InputStream body) {
    FunctionNames.requireNamespace(namespace);
    backend.updateSecret(SecretJson.secret(read(body), settings.maxValueBytes()));
    return Response.accepted().build();
  }

  @DELETE
  public Response delete(@QueryParam("namespace") String namespace, InputStream body) {
    FunctionNames.requireNamespace(namespace);
    backend.removeSecret(SecretJson.deleteRequest(read(body)));
    return Response.accepted().build();
  }

  private byte[] read(InputStream body) {
    return JsonBody.read(body, SecretJson.bodyLimit(settings.maxValueBytes()));
  }
}
