package dev.jakartafaas.schedule.control;

import dev.jakartafaas.invocation.control.Exchange;
import dev.jakartafaas.invocation.control.Invoker;
import dev.jakartafaas.schedule.boundary.ScheduleTimers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A schedule's firing as an invocation: {@code POST /function/<name>} with an empty body through
 * the same {@link Invoker} as every call (metrics, cold start from zero, the replicas' limits); the
 * answer is read and dropped. Starts the schedule timers when the gateway's application starts.
 */
@ApplicationScoped
public class ScheduledInvocation implements ScheduledCall {

  @Inject Invoker invoker;

  @Inject ScheduleTimers timers;

  void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
    timers.start(this);
  }

  @Override
  public int invoke(String function) throws Exception {
    Firing firing = new Firing();
    invoker.invoke(function, "/", firing);
    return firing.status;
  }

  /** The request of a firing and a sink for its answer. */
  static final class Firing implements Exchange {
    int status;

    @Override
    public String method() {
      return "POST";
    }

    @Override
    public String header(String name) {
      return null;
    }

    @Override
    public Enumeration<String> headerNames() {
      return Collections.emptyEnumeration();
    }

    @Override
    public Enumeration<String> headers(String name) {
      return Collections.emptyEnumeration();
    }

    @Override
    public String query() {
      return null;
    }

    @Override
    public long contentLength() {
      return 0;
    }

    @Override
    public InputStream body() {
      return InputStream.nullInputStream();
    }

    @Override
    public String peerAddress() {
      return "127.0.0.1";
    }

    @Override
    public void status(int status) {
      this.status = status;
    }

    @Override
    public void setHeader(String name, String value) {}

    @Override
    public void addHeader(String name, String value) {}

    @Override
    public void contentLength(long length) {}

    @Override
    public OutputStream output() {
      return OutputStream.nullOutputStream();
    }
  }
}
