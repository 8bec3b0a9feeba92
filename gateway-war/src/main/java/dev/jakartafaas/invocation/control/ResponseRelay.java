package dev.jakartafaas.invocation.control;

import dev.jakartafaas.invocation.control.UpstreamConnection.BodySink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;

/**
 * A replica's answer on its way to the caller: the status, the headers that cross the proxy, the
 * length when known, and the body as it arrives (decoded when chunked; the caller's container
 * frames it again). A failure to write is the caller's ({@link ClientGoneException}).
 */
final class ResponseRelay {

  private ResponseRelay() {}

  /** Copies the status and headers to the caller's response. */
  static void head(ResponseHead response, Exchange req) {
    req.status(response.status());
    Set<String> tokens = response.connectionTokens();
    for (String[] h : response.headers()) {
      if (ForwardedHeaders.forwardResponse(h[0], tokens)) {
        req.addHeader(h[0], h[1]);
      }
    }
    if (response.contentLength() >= 0 && response.status() != 204 && response.status() != 304) {
      req.contentLength(response.contentLength());
    }
  }

  /**
   * Copies the body, as the head frames it.
   *
   * @throws ClientGoneException when the caller went away
   * @throws IOException when the replica failed while sending
   */
  static void body(ResponseHead response, UpstreamConnection c, Exchange req) throws IOException {
    BodySink sink = new ClientSink(req.output());
    if (response.chunked()) {
      c.copyChunked(sink);
    } else if (response.contentLength() >= 0) {
      c.copyFixed(response.contentLength(), sink);
    } else {
      c.copyToEnd(sink);
    }
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
}
