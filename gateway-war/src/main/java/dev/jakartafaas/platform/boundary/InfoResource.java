package dev.jakartafaas.platform.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code GET /system/info}: provider, orchestration and version, in OpenFaaS's shape. */
@Path("info")
public class InfoResource {

  static final String PROVIDER = "jakarta-faas";

  @Inject Backend backend;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public String info() {
    JsonObject version =
        Json.createObjectBuilder().add("release", release()).add("sha", "").build();
    return Json.createObjectBuilder()
        .add(
            "provider",
            Json.createObjectBuilder()
                .add("provider", PROVIDER)
                .add("orchestration", backend.orchestration())
                .add("version", version))
        .add("version", version)
        .add("arch", System.getProperty("os.arch"))
        .build()
        .toString();
  }

  static String release() {
    try (InputStream in =
        InfoResource.class.getResourceAsStream("/dev/jakartafaas/platform/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("release", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
