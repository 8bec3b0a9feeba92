package dev.jakartafaas.watchdog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes that {@code HttpClient} refuses to send (control characters in a header value, both
 * Content-Length and Transfer-Encoding) over a plain socket, and reads the answer to its end.
 */
final class RawHttp {

  private RawHttp() {}

  /**
   * Sends {@code request} (which should ask for {@code Connection: close}) and returns the reply.
   */
  static String exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(60_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      try {
        while ((n = in.read(buffer)) >= 0) {
          reply.write(buffer, 0, n);
        }
      } catch (java.net.SocketException e) {
        // A reset after the answer: keep what arrived.
      }
      return reply.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** The status code of a raw reply, or -1 if there is no status line. */
  static int status(String reply) {
    if (!reply.startsWith("HTTP/1.")) {
      return -1;
    }
    return Integer.parseInt(reply.substring(9, 12));
  }
}
