package dev.jakartafaas.logs.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.logs.control.LogQuery;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

/**
 * {@code GET /system/logs?name=&tail=&since=&follow=}: one JSON object per line, oldest first.
 * {@code follow} is accepted and answers the lines kept so far.
 */
@Path("logs")
public class LogsResource {

  @Inject Backend backend;

  @GET
  @Produces(LogQuery.NDJSON)
  public String logs(
      @QueryParam("name") String reference,
      @QueryParam("namespace") String namespace,
      @QueryParam("tail") String tail,
      @QueryParam("since") String since,
      @QueryParam("follow") String follow) {
    FunctionNames.requireNamespace(namespace);
    String name = FunctionNames.resolve(reference);
    LogQuery q = LogQuery.parse(tail, since, follow);
    StringBuilder out = new StringBuilder();
    for (LogLine line : backend.logs(name, q.tail(), q.since())) {
      out.append(LogQuery.json(line)).append('\n');
    }
    return out.toString();
  }
}
