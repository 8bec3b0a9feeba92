package dev.jakartafaas.async.control;

import dev.jakartafaas.security.control.OutboundAllowList;
import dev.jakartafaas.security.control.OutboundCheck;
import dev.jakartafaas.security.control.OutboundUrl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Posts a call's result to its callback URL. The host is resolved and checked again right before
 * each attempt, and the connection goes to a checked address (the URL's name is only the {@code
 * Host} header and, for https, the name the certificate must carry), so a DNS answer that changed
 * since the call was accepted cannot redirect it. Redirects are not followed.
 */
final class CallbackSender {

  /** Where an attempt ended. */
  enum Outcome {
    DELIVERED,
    REFUSED_BY_RULE,
    REJECTED,
    FAILED
  }

  /** The longest status line read from the receiver. */
  private static final int MAX_STATUS_LINE = 1024;

  private final OutboundCheck.Resolver resolver;
  private final OutboundAllowList allow;
  private final String allowKey;
  private final Duration timeout;

  CallbackSender(
      OutboundCheck.Resolver resolver, OutboundAllowList allow, String allowKey, Duration timeout) {
    this.resolver = resolver;
    this.allow = allow;
    this.allowKey = allowKey;
    this.timeout = timeout;
  }

  /** One attempt's result: the outcome, the receiver's status (0 if none) and why. */
  record Attempt(Outcome outcome, int status, String detail) {}

  /** Makes one attempt. */
  Attempt send(OutboundUrl url, Map<String, String> headers, byte[] body) {
    List<InetAddress> addresses;
    try {
      addresses = OutboundCheck.resolve(url, resolver, allow, allowKey);
    } catch (OutboundCheck.RefusedException e) {
      return new Attempt(Outcome.REFUSED_BY_RULE, 0, e.getMessage());
    }
    byte[] head = head(url, headers, body.length).getBytes(StandardCharsets.ISO_8859_1);
    IOException last = null;
    for (InetAddress address : addresses) {
      Socket socket;
      try {
        socket = connect(url, address);
      } catch (IOException e) {
        last = e;
        continue;
      }
      try (Socket s = socket) {
        OutputStream out = s.getOutputStream();
        out.write(head);
        out.write(body);
        out.flush();
        int status = statusOf(readLine(s.getInputStream()));
        return new Attempt(outcomeOf(status), status, "answered " + status);
      } catch (IOException e) {
        return new Attempt(Outcome.FAILED, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    return new Attempt(
        Outcome.FAILED,
        0,
        last == null ? "no address" : last.getClass().getSimpleName() + ": " + last.getMessage());
  }

  private Socket connect(OutboundUrl url, InetAddress address) throws IOException {
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(address, url.port()), millis);
      plain.setSoTimeout(millis);
      if (!url.scheme().equals("https")) {
        return plain;
      }
      SSLSocket tls =
          (SSLSocket)
              SSLContext.getDefault()
                  .getSocketFactory()
                  .createSocket(plain, url.host(), url.port(), true);
      SSLParameters p = tls.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      tls.setSSLParameters(p);
      tls.startHandshake();
      return tls;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    } catch (NoSuchAlgorithmException e) {
      plain.close();
      throw new IOException("no TLS", e);
    }
  }

  /** The request head of the callback: {@code POST}, then the given headers in order. */
  static String head(OutboundUrl url, Map<String, String> headers, int length) {
    StringBuilder b = new StringBuilder(256);
    b.append("POST ").append(url.target()).append(" HTTP/1.1\r\n");
    b.append("Host: ").append(url.authority()).append("\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String v = h.getValue();
      if (v != null && v.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        b.append(h.getKey()).append(": ").append(v).append("\r\n");
      }
    }
    b.append("Content-Length: ").append(length).append("\r\n");
    b.append("Connection: close\r\n\r\n");
    return b.toString();
  }

  /** The status of an HTTP/1.x status line, or 0 when it is not one. */
  static int statusOf(String line) {
    if (line == null || !line.startsWith("HTTP/1.") || line.length() < 12) {
      return 0;
    }
    String code = line.substring(9, 12);
    if (!code.chars().allMatch(Character::isDigit)
        || line.length() > 12 && line.charAt(12) != ' ') {
      return 0;
    }
    return Integer.parseInt(code);
  }

  /** 2xx delivered; 5xx and no valid answer may be tried again; anything else (3xx, 4xx) not. */
  static Outcome outcomeOf(int status) {
    if (status >= 200 && status < 300) {
      return Outcome.DELIVERED;
    }
    if (status == 0 || status >= 500) {
      return Outcome.FAILED;
    }
    return Outcome.REJECTED;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    while (line.size() < MAX_STATUS_LINE) {
      int c = in.read();
      if (c < 0 || c == '\n') {
        break;
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
