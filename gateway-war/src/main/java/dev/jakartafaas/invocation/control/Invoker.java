package dev.jakartafaas.invocation.control;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.backend.entity.ReplicaStopped;
import dev.jakartafaas.invocation.control.UpstreamConnection.BodySink;
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
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The invocation proxy: picks a ready replica (fewest in flight; when there is none, waits for one
 * with {@link ColdStarts}), forwards the request over a pooled keep-alive connection and streams
 * the answer back. Small bodies are read first so that an idempotent request whose kept-alive
 * connection turned out closed can be sent again; large ones stream.
 */
@ApplicationScoped
public class Invoker {

  /** Bodies up to this size are read before sending, which makes the request repeatable. */
  static final int REPEATABLE_BODY = 64 * 1024;

  private static final int STREAM_BUFFER = 16 * 1024;

  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

  /** The code recorded when the caller went away before the answer ended (nginx's). */
  static final int CLIENT_GONE = 499;

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  @Inject Backend backend;

  @Inject FunctionMetrics counts;

  @Inject ColdStarts coldStarts;

  @Inject InvocationSettings settings;

  private final ConcurrentHashMap<ReplicaAddress, Upstream> upstreams = new ConcurrentHashMap<>();
  private final AtomicLong tickets = new AtomicLong();

  void replicaStopped(@Observes ReplicaStopped event) {
    Upstream u = upstreams.remove(event.address());
    if (u != null) {
      u.close();
    }
  }

  @PreDestroy
  void closeConnections() {
    upstreams.values().forEach(Upstream::close);
    upstreams.clear();
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
        backend
            .readyReplicas(name)
            .orElseThrow(() -> new FunctionNotFoundException("function " + name + " not found"));
    if (req.contentLength() > settings.maxBodyBytes()) {
      // refused before any replica is started or sent anything; the rest of the body is not read
      req.setHeader("Connection", "close");
      throw tooLarge();
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
    boolean chunkedIn = length < 0 && te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
    byte[] small = null;
    if (length > 0 && length <= REPEATABLE_BODY) {
      small = readFully(req.body(), (int) length);
    } else if (length < 0 && !chunkedIn) {
      length = 0;
    }
    // a request sent on a kept-alive connection whose answer never began may be sent again only
    // if it is idempotent: the replica may have died while running it. (Connections of replicas
    // that stop are dropped when the backend reports it, and idle ones are reused for less than
    // the watchdog's idle timeout, so this is rare.)
    boolean repeatable = (small != null || length == 0) && IDEMPOTENT.contains(method);
    String headers = forwardedHeaders(req, callId, startTime, length, chunkedIn, method);

    Upstream u = choose(ready, null);
    boolean mayRetryRefused = true;
    boolean mayRetryStale = true;
    boolean freshOnly = false;
    while (true) {
      UpstreamConnection c = freshOnly ? null : u.pooled();
      if (c == null) {
        try {
          c = u.connect(settings.connectMillis(), settings.upstreamMillis());
        } catch (ConnectException e) {
          if (!mayRetryRefused) {
            throw new UpstreamFailedException(
                "function " + name + " is unreachable: its replicas refused the connection");
          }
          mayRetryRefused = false;
          u = choose(readyReplicas(name), u);
          continue;
        } catch (SocketTimeoutException | NoRouteToHostException e) {
          // nothing was sent: a replica that died without closing its sockets (SIGKILL in a
          // container) drops the connection attempt; another replica may take the request
          if (!mayRetryRefused) {
            throw new UpstreamFailedException(
                "function " + name + " is unreachable: " + oneLine(e.getMessage()));
          }
          mayRetryRefused = false;
          u = choose(readyReplicas(name), u);
          continue;
        } catch (IOException e) {
          throw new UpstreamFailedException(
              "function " + name + " is unreachable: " + oneLine(e.getMessage()));
        }
      }
      u.inFlight.incrementAndGet();
      try {
        return exchange(name, method, path, req, c, u, headers, small, length, chunkedIn);
      } catch (StaleConnectionException e) {
        if (!(repeatable && mayRetryStale)) {
          throw new UpstreamFailedException(
              "function "
                  + name
                  + " closed the connection without answering (its replica may have crashed)");
        }
        mayRetryStale = false;
        freshOnly = true;
      } finally {
        u.inFlight.decrementAndGet();
      }
    }
  }

  /** One exchange on one connection; answers the replica's status. */
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
      boolean chunkedIn)
      throws IOException {
    boolean pooled = c.reused;
    StringBuilder head = new StringBuilder(headers.length() + 96);
    head.append(method).append(' ').append(path);
    String query = req.query();
    if (query != null) {
      head.append('?').append(query);
    }
    head.append(" HTTP/1.1\r\nHost: ")
        .append(u.address.host())
        .append(':')
        .append(u.address.port())
        .append("\r\n")
        .append(headers);
    try {
      byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
      if (small != null || length == 0) {
        int bodyLength = small == null ? 0 : small.length;
        byte[] all = new byte[headBytes.length + bodyLength];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        if (small != null) {
          System.arraycopy(small, 0, all, headBytes.length, bodyLength);
        }
        c.out.write(all);
      } else {
        streamBody(req.body(), c.out, headBytes, length, chunkedIn, settings.maxBodyBytes());
      }
    } catch (ClientGoneException | PayloadTooLargeException e) {
      c.close();
      if (e instanceof PayloadTooLargeException) {
        req.setHeader("Connection", "close");
      }
      throw e;
    } catch (IOException e) {
      c.close();
      if (pooled) {
        throw new StaleConnectionException();
      }
      throw new UpstreamFailedException(
          "function " + name + " closed the connection while receiving the request");
    }

    ResponseHead response;
    try {
      response = c.readHead();
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
        throw new StaleConnectionException();
      }
      throw new UpstreamFailedException(
          "function "
              + name
              + " closed the connection without answering (its replica may have crashed)");
    }

    req.status(response.status());
    Set<String> tokens = response.connectionTokens();
    for (String[] h : response.headers()) {
      if (ForwardedHeaders.forwardResponse(h[0], tokens)) {
        req.addHeader(h[0], h[1]);
      }
    }
    boolean bodyless = response.bodyless(method);
    if (response.contentLength() >= 0 && response.status() != 204 && response.status() != 304) {
      req.contentLength(response.contentLength());
    }
    if (!bodyless) {
      BodySink sink = new ClientSink(req.output());
      try {
        if (response.chunked()) {
          c.copyChunked(sink);
        } else if (response.contentLength() >= 0) {
          c.copyFixed(response.contentLength(), sink);
        } else {
          c.copyToEnd(sink);
        }
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
    return response.status();
  }

  private PayloadTooLargeException tooLarge() {
    return new PayloadTooLargeException(
        "request body larger than "
            + settings.maxBodyBytes()
            + " bytes (faas.gateway.max-body-bytes)");
  }

  /** Sends the head and the body; a chunked body that grows past {@code max} is cut off. */
  private void streamBody(
      InputStream in, OutputStream socket, byte[] head, long length, boolean chunked, long max)
      throws IOException {
    OutputStream out = new BufferedOutputStream(socket, STREAM_BUFFER + 32);
    out.write(head);
    byte[] buffer = new byte[STREAM_BUFFER];
    long left = length;
    long sent = 0;
    while (chunked || left > 0) {
      int n;
      try {
        n = in.read(buffer, 0, chunked ? buffer.length : (int) Math.min(buffer.length, left));
      } catch (IOException e) {
        throw new ClientGoneException(e);
      }
      if (n < 0) {
        if (chunked) {
          break;
        }
        throw new ClientGoneException(new EOFException("request body ended early"));
      }
      if (chunked) {
        if (n == 0) {
          continue;
        }
        sent += n;
        if (sent > max) {
          throw tooLarge();
        }
        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(buffer, 0, n);
        out.write(CRLF);
      } else {
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    if (chunked) {
      out.write(LAST_CHUNK);
    }
    out.flush();
  }

  private static String forwardedHeaders(
      Exchange req,
      String callId,
      String startTime,
      long length,
      boolean chunkedIn,
      String method) {
    StringBuilder b = new StringBuilder(512);
    Set<String> tokens = ForwardedHeaders.connectionTokens(req.header("Connection"));
    Enumeration<String> names = req.headerNames();
    while (names.hasMoreElements()) {
      String name = names.nextElement();
      if (!ForwardedHeaders.forwardRequest(name, tokens)) {
        continue;
      }
      Enumeration<String> values = req.headers(name);
      while (values.hasMoreElements()) {
        String value = values.nextElement();
        if (ForwardedHeaders.isSafeValue(value)) {
          b.append(name).append(": ").append(value).append("\r\n");
        }
      }
    }
    String forwardedFor = req.header("X-Forwarded-For");
    String peer = req.peerAddress();
    b.append("X-Forwarded-For: ")
        .append(
            forwardedFor == null || !ForwardedHeaders.isSafeValue(forwardedFor)
                ? peer
                : forwardedFor + ", " + peer)
        .append("\r\n");
    String host = req.header("Host");
    if (host != null && req.header("X-Forwarded-Host") == null) {
      b.append("X-Forwarded-Host: ").append(host).append("\r\n");
    }
    b.append(ForwardedHeaders.CALL_ID).append(": ").append(callId).append("\r\n");
    b.append(ForwardedHeaders.START_TIME).append(": ").append(startTime).append("\r\n");
    if (chunkedIn) {
      b.append("Transfer-Encoding: chunked\r\n");
    } else if (length > 0 || !"GET".equals(method) && !"HEAD".equals(method)) {
      b.append("Content-Length: ").append(length).append("\r\n");
    }
    b.append("\r\n");
    return b.toString();
  }

  private List<ReplicaAddress> readyReplicas(String name) {
    List<ReplicaAddress> ready =
        backend
            .readyReplicas(name)
            .orElseThrow(() -> new FunctionNotFoundException("function " + name + " not found"));
    if (ready.isEmpty()) {
      throw new NoReadyReplicaException("function " + name + " has no ready replica");
    }
    return ready;
  }

  private Upstream choose(List<ReplicaAddress> ready, Upstream avoid) {
    int n = ready.size();
    if (n == 1) {
      return upstream(ready.get(0));
    }
    Upstream[] candidates = new Upstream[n];
    int[] inFlight = new int[n];
    int excluded = -1;
    for (int i = 0; i < n; i++) {
      candidates[i] = upstream(ready.get(i));
      inFlight[i] = candidates[i].inFlight.get();
      if (avoid != null && ready.get(i).equals(avoid.address)) {
        excluded = i;
      }
    }
    return candidates[ReplicaChoice.choose(inFlight, excluded, tickets.getAndIncrement())];
  }

  private Upstream upstream(ReplicaAddress address) {
    Upstream u = upstreams.get(address);
    return u != null ? u : upstreams.computeIfAbsent(address, Upstream::new);
  }

  private static byte[] readFully(InputStream in, int length) throws ClientGoneException {
    byte[] body = new byte[length];
    int off = 0;
    try {
      while (off < length) {
        int n = in.read(body, off, length - off);
        if (n < 0) {
          throw new EOFException("request body ended after " + off + " bytes");
        }
        off += n;
      }
    } catch (IOException e) {
      throw new ClientGoneException(e);
    }
    return body;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
  }

  /** The response sink that tells the caller's failures apart from the replica's. */
  private static final class ClientSink implements BodySink {
    private final OutputStream out;

    ClientSink(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(byte[] b, int off, int len, boolean flushHint) throws IOException {
      try {
        out.write(b, off, len);
        if (flushHint) {
          out.flush();
        }
      } catch (IOException e) {
        throw new ClientGoneException(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw new ClientGoneException(e);
      }
    }
  }

  /** A pooled connection turned out closed before anything was answered on it. */
  private static final class StaleConnectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StaleConnectionException() {
      super(null, null, false, false);
    }
  }
}
