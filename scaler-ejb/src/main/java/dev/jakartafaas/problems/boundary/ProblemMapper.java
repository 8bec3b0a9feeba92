package dev.jakartafaas.problems.boundary;

import dev.jakartafaas.problems.entity.FaasException;
import dev.jakartafaas.problems.entity.ReadTimeoutException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place the management API turns exceptions into answers: our own failures keep their
 * status and message, JAX-RS's get a one-line message, anything else is a 500 without internals.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

  @Context UriInfo uri;

  @Override
  public Response toResponse(Throwable t) {
    if (t instanceof FaasException f) {
      return problem(f.status(), f.getMessage()).build();
    }
    if (t instanceof NotFoundException) {
      return problem(404, "no such route: /" + path()).build();
    }
    if (t instanceof NotAllowedException n) {
      Response.ResponseBuilder b =
          problem(
              405,
              "method not allowed on /"
                  + path()
                  + "; allowed: "
                  + n.getResponse().getAllowedMethods());
      String allow = n.getResponse().getHeaderString(HttpHeaders.ALLOW);
      if (allow != null) {
        b.header(HttpHeaders.ALLOW, allow);
      }
      return b.build();
    }
    if (t instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
      int status = w.getResponse().getStatus();
      return problem(
              status,
              w.getResponse().getStatusInfo().getReasonPhrase().toLowerCase() + ": /" + path())
          .build();
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ReadTimeoutException) {
        // the rest of the body is not read: the connection cannot carry another request
        return problem(408, c.getMessage()).header("Connection", "close").build();
      }
    }
    LOG.log(Level.WARNING, "unexpected error on /" + path(), t);
    return problem(500, "internal error; the gateway log has the details").build();
  }

  private String path() {
    try {
      return uri == null ? "" : uri.getPath(false).replaceFirst("^/", "");
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static Response.ResponseBuilder problem(int status, String message) {
    return Response.status(status)
        .header(ProblemResponses.INTERNAL_HEADER, "true")
        .type(ProblemResponses.CONTENT_TYPE)
        .entity(ProblemResponses.body(message));
  }
}
