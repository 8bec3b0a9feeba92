package dev.jakartafaas.platform.boundary;

import dev.jakartafaas.async.boundary.AsyncCallsResource;
import dev.jakartafaas.functions.boundary.FunctionResource;
import dev.jakartafaas.functions.boundary.FunctionsResource;
import dev.jakartafaas.functions.boundary.NamespacesResource;
import dev.jakartafaas.problems.boundary.ProblemMapper;
import dev.jakartafaas.scaling.boundary.AlertResource;
import dev.jakartafaas.scaling.boundary.ScaleResource;
import dev.jakartafaas.secrets.boundary.SecretsResource;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * The management API lives under {@code /system} ({@code /system/logs} is a servlet, so that a
 * follower holds no thread); invocation, health and the UI are servlets and static files beside it.
 * Its resources are listed here, not scanned: most live with their components in the EJB jar, which
 * an EAR deploys as a module of its own, where the web module's scan does not reach.
 */
@ApplicationPath("system")
public class GatewayApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(
        FunctionsResource.class,
        FunctionResource.class,
        NamespacesResource.class,
        ScaleResource.class,
        AlertResource.class,
        SecretsResource.class,
        InfoResource.class,
        AsyncCallsResource.class,
        ProblemMapper.class);
  }
}
