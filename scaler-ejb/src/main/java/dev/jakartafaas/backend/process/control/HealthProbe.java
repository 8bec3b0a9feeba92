package dev.jakartafaas.backend.process.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Asks a watchdog's {@code GET /_/health}; only a 200 counts as ready. */
public final class HealthProbe {

  private static final byte[] REQUEST =
      ("GET /_/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private HealthProbe() {}

  public static boolean isReady(String host, int port, int timeoutMillis) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      OutputStream out = s.getOutputStream();
      out.write(REQUEST);
      out.flush();
      InputStream in = s.getInputStream();
      byte[] head = new byte[13];
      int n = 0;
      while (n < head.length) {
        int r = in.read(head, n, head.length - n);
        if (r < 0) {
          return false;
        }
        n += r;
      }
      return statusIs200(new String(head, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  /** True for the start of a status line such as {@code HTTP/1.1 200 OK}. */
  static boolean statusIs200(String statusLine) {
    return statusLine.length() >= 13
        && statusLine.startsWith("HTTP/1.")
        && statusLine.startsWith(" 200", 8)
        && (statusLine.charAt(12) == ' ' || statusLine.charAt(12) == '\r');
  }
}
