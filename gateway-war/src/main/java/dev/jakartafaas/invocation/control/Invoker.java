package dev.jakartafaas.invocation.control;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.backend.entity.ReplicaStopped;
import dev.jakartafaas.invocation.control.RetryPolicy.Decision;
import dev.jakartafaas.invocation.control.RetryPolicy.Failure;
import dev.jakartafaas.invocation.control.UpstreamConnection.MalformedResponseException;
import dev.jakartafaas.metrics.control.FunctionMetrics;
import dev.jakartafaas.problems.entity.FaasException;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.NoReadyReplicaException;
import dev.jakartafaas.problems.entity.PayloadTooLargeException;
import dev.jakartafaas.problems.entity.UpstreamFailedException;
import dev.jakartafaas.problems.entity.UpstreamTimeoutException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The invocation proxy, one call at a time: choose a ready replica ({@link Upstreams}; when there
 * is none, wait for one with {@link ColdStarts}), take a pooled keep-alive connection or open one,
 * write the head and body ({@link RequestHead}, {@link RequestBody}), relay the answer ({@link
 * ResponseRelay}), and count the call ({@link FunctionMetrics}). A failure before the replica
 * answered is tried again as {@link RetryPolicy} says, and a replica that could not be reached is
 * passed over for a while ({@link Upstream#PASS_OVER_NANOS}).
 */
@ApplicationScoped
public class Invoker {

  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

  /** The code recorded when the caller went away before the answer ended (nginx's). */
  static final int CLIENT_GONE = 499;

  /** What {@link #exchange} answers when a pooled connection turned out closed. */
  private static final int STALE = -1;

  @Inject Backend backend;

  @Inject FunctionMetrics counts;

  @Inject ColdStarts coldStarts;

  @Inject InvocationSettings settings;

  private final Upstreams upstreams = new Upstreams();

  void replicaStopped(@Observes ReplicaStopped event) {
    upstreams.stopped(event.address());
  }

  @PreDestroy
  void closeConnections() {
    upstreams.closeAll();
  }

  /**
   * Proxies one request to the function.
   *
   * @param path the path after {@code /function/<name>}, starting with {@code /}
   * @throws ClientGoneException when the caller went away (nothing to answer)
   * @throws IOException when the replica failed after the response had begun (abort the response)
   */
  public void invoke(String name, String path, HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    invoke(name, path, new ServletExchange(req, resp));
  }

  /**
   * Proxies one request to the function: the same path for a live request and a queued one.
   *
   * @param path the path after the function's name, starting with {@code /}
   * @throws ClientGoneException when the caller went away (nothing to answer)
   * @throws IOException when the replica failed after the response had begun (abort the response)
   */
  public void invoke(String name, String path, Exchange req) throws IOException {
    List<ReplicaAddress> ready =
        backend.readyReplicas(name).orElseThrow(() -> FunctionNotFoundException.of(name));
    if (req.contentLength() > settings.maxBodyBytes()) {
      // refused before any replica is started or sent anything; the rest of the body is not read
      req.setHeader("Connection", "close");
      throw RequestBody.tooLarge(settings.maxBodyBytes());
    }
    if (ready.isEmpty()) {
      ready = coldStarts.await(name);
    }
    FunctionMetrics.Calls calls = counts.started(name);
    long start = System.nanoTime();
    int code = CLIENT_GONE;
    try {
      code = proxy(name, path, req, ready);
    } catch (FaasException e) {
      code = e.status();
      throw e;
    } catch (ClientGoneException e) {
      throw e;
    } catch (IOException e) {
      code = 502;
      throw e;
    } finally {
      counts.finished(calls, code, System.nanoTime() - start);
    }
  }

  /** Proxies to one of the ready replicas; answers the status the caller got. */
  private int proxy(String name, String path, Exchange req, List<ReplicaAddress> ready)
      throws IOException {
    String method = req.method();
    String callId = ForwardedHeaders.callId(req.header(ForwardedHeaders.CALL_ID));
    Instant now = Instant.now();
    String startTime = Long.toString(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    req.setHeader(ForwardedHeaders.CALL_ID, callId);
    req.setHeader(ForwardedHeaders.START_TIME, startTime);

    long length = req.contentLength();
    String te = req.header("Transfer-Encoding");
    boolean chunked = length < 0 && te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
    byte[] small = null;
    if (length > 0 && length <= RequestBody.REPEATABLE) {
      small = RequestBody.readFully(req.body(), (int) length);
    } else if (length < 0 && !chunked) {
      length = 0;
    }
    boolean repeatable = (small != null || length == 0) && IDEMPOTENT.contains(method);
    String headers = RequestHead.headers(req, callId, startTime, length, chunked, method);

    Upstream u = upstreams.choose(ready, null);
    int spent = 0;
    while (true) {
      Upstream tried = u;
      ConnectFailure failed = null;
      int status = STALE;
      // in flight from the connect on: a replica whose connects hang is not the least busy one
      tried.inFlight.incrementAndGet();
      try {
        UpstreamConnection c = RetryPolicy.freshOnly(spent) ? null : tried.pooled();
        if (c == null) {
          c = connect(name, tried);
        }
        status = exchange(name, method, path, req, c, tried, headers, small, length, chunked);
      } catch (ConnectFailure f) {
        failed = f;
      } finally {
        tried.inFlight.decrementAndGet();
      }
      if (failed != null) {
        if (failed.failure != Failure.CONNECT_FAILED) {
          tried.passOver(System.nanoTime() + Upstream.PASS_OVER_NANOS);
        }
        spent = retry(failed.failure, spent, repeatable, failed.problem);
        u = upstreams.choose(readyReplicas(name), tried);
        continue;
      }
      if (status != STALE) {
        return status;
      }
      // the replica closed a kept-alive connection: its other idle ones are likely closed too
      tried.dropIdle();
      spent = retry(Failure.STALE_CONNECTION, spent, repeatable, closedWithoutAnswer(name));
    }
  }

  /** The retries spent after this failure, or the failure's answer when none is left. */
  private static int retry(Failure failure, int spent, boolean repeatable, FaasException problem) {
    Decision d = RetryPolicy.decide(failure, spent, repeatable);
    if (d == Decision.GIVE_UP) {
      throw problem;
    }
    return RetryPolicy.spend(spent, d);
  }

  private UpstreamConnection connect(String name, Upstream u) throws ConnectFailure {
    try {
      return u.connect(settings.connectMillis(), settings.upstreamMillis());
    } catch (ConnectException e) {
      throw new ConnectFailure(
          Failure.CONNECT_REFUSED,
          new UpstreamFailedException(
              "function " + name + " is unreachable: its replicas refused the connection"));
    } catch (SocketTimeoutException | NoRouteToHostException e) {
      // nothing was sent: a replica that died without closing its sockets (SIGKILL in a
      // container) drops the connection attempt; another replica may take the request
      throw new ConnectFailure(Failure.CONNECT_UNREACHABLE, unreachable(name, e));
    } catch (IOException e) {
      throw new ConnectFailure(Failure.CONNECT_FAILED, unreachable(name, e));
    }
  }

  /**
   * One exchange on one connection: answers the replica's status, or {@link #STALE} when a pooled
   * connection turned out closed before anything was answered on it.
   */
  private int exchange(
      String name,
      String method,
      String path,
      Exchange req,
      UpstreamConnection c,
      Upstream u,
      String headers,
      byte[] small,
      long length,
      boolean chunked)
      throws IOException {
    boolean pooled = c.reused;
    if (!send(name, method, path, req, c, u, headers, small, length, chunked)) {
      return STALE;
    }
    ResponseHead response = receive(name, c, pooled);
    if (response == null) {
      return STALE;
    }
    relay(name, method, req, c, u, response);
    return response.status();
  }

  /** Writes the request; false when a pooled connection turned out closed. */
  private boolean send(
      String name,
      String method,
      String path,
      Exchange req,
      UpstreamConnection c,
      Upstream u,
      String headers,
      byte[] small,
      long length,
      boolean chunked)
      throws IOException {
    try {
      byte[] head = RequestHead.bytes(method, path, req.query(), u, headers);
      if (small != null || length == 0) {
        RequestBody.writeWhole(c.out, head, small);
      } else {
        RequestBody.stream(req.body(), c.out, head, length, chunked, settings.maxBodyBytes());
      }
      return true;
    } catch (ClientGoneException | PayloadTooLargeException e) {
      c.close();
      if (e instanceof PayloadTooLargeException) {
        req.setHeader("Connection", "close");
      }
      throw e;
    } catch (IOException e) {
      c.close();
      if (c.reused) {
        return false;
      }
      throw new UpstreamFailedException(
          "function " + name + " closed the connection while receiving the request");
    }
  }

  /** Reads the answer's head; null when a pooled connection closed before answering anything. */
  private ResponseHead receive(String name, UpstreamConnection c, boolean pooled)
      throws IOException {
    try {
      return c.readHead();
    } catch (SocketTimeoutException e) {
      c.close();
      throw new UpstreamTimeoutException(
          "function "
              + name
              + " did not answer within "
              + settings.upstreamTimeout().toMillis()
              + " ms (faas.gateway.upstream-timeout)");
    } catch (MalformedResponseException e) {
      c.close();
      throw new UpstreamFailedException(
          "function " + name + " sent an invalid response: " + oneLine(e.getMessage()));
    } catch (IOException e) {
      c.close();
      if (pooled && !c.receivedAnything()) {
        return null;
      }
      throw closedWithoutAnswer(name);
    }
  }

  /** The answer to the caller, then the connection back to the pool when it can carry another. */
  private void relay(
      String name,
      String method,
      Exchange req,
      UpstreamConnection c,
      Upstream u,
      ResponseHead response)
      throws IOException {
    ResponseRelay.head(response, req);
    if (!response.bodyless(method)) {
      try {
        ResponseRelay.body(response, c, req);
      } catch (ClientGoneException e) {
        c.close();
        throw e;
      } catch (IOException e) {
        c.close();
        throw new IOException(
            "function " + name + " failed while sending its response: " + e.getMessage(), e);
      }
    }
    if (response.keepAlive() && !response.delimitedByClose(method)) {
      u.release(c, settings.maxIdleConnections());
    } else {
      c.close();
    }
  }

  private List<ReplicaAddress> readyReplicas(String name) {
    List<ReplicaAddress> ready =
        backend.readyReplicas(name).orElseThrow(() -> FunctionNotFoundException.of(name));
    if (ready.isEmpty()) {
      throw new NoReadyReplicaException("function " + name + " has no ready replica");
    }
    return ready;
  }

  private static UpstreamFailedException unreachable(String name, IOException e) {
    return new UpstreamFailedException(
        "function " + name + " is unreachable: " + oneLine(e.getMessage()));
  }

  private static UpstreamFailedException closedWithoutAnswer(String name) {
    return new UpstreamFailedException(
        "function "
            + name
            + " closed the connection without answering (its replica may have crashed)");
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
  }

  /** A connect failed: how, and what to answer if it is not tried again. */
  private static final class ConnectFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Failure failure;
    final transient UpstreamFailedException problem;

    ConnectFailure(Failure failure, UpstreamFailedException problem) {
      super(null, null, false, false);
      this.failure = failure;
      this.problem = problem;
    }
  }
}
