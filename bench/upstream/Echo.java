import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The benchmark's trivial warm upstream for {@code mode=http}: a minimal HTTP/1.1 server (one thread
 * per kept-alive connection) that answers each request with its own body and forks nothing, so the
 * figures measure the watchdog in front of it. Reads Content-Length and chunked bodies (of-watchdog
 * sends chunked); answers with Content-Length. Listens on {@code PORT}.
 */
public final class Echo {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "5000"));
    ServerSocket listener = new ServerSocket(port, 1024, InetAddress.getLoopbackAddress());
    while (true) {
      Socket socket = listener.accept();
      socket.setTcpNoDelay(true);
      Thread thread = new Thread(() -> serve(socket));
      thread.setDaemon(true);
      thread.start();
    }
  }

  private static void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16384);
      OutputStream out = socket.getOutputStream();
      StringBuilder line = new StringBuilder();
      while (true) {
        long length = 0;
        boolean chunked = false;
        boolean sawRequestLine = false;
        while (true) {
          readLine(in, line); // the client closing between requests ends the thread here
          if (line.length() == 0) {
            if (sawRequestLine) {
              break;
            }
            continue;
          }
          sawRequestLine = true;
          String header = line.toString().toLowerCase(Locale.ROOT);
          if (header.startsWith("content-length:")) {
            length = Long.parseLong(header.substring(15).trim());
          } else if (header.startsWith("transfer-encoding:") && header.contains("chunked")) {
            chunked = true;
          }
        }
        byte[] body = chunked ? readChunked(in, line) : in.readNBytes((int) length);
        byte[] head =
            ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] response = new byte[head.length + body.length];
        System.arraycopy(head, 0, response, 0, head.length);
        System.arraycopy(body, 0, response, head.length, body.length);
        out.write(response);
      }
    } catch (IOException | RuntimeException e) {
      // Client gone.
    }
  }

  /** A chunked body: hex size lines, each chunk followed by CRLF, a 0 chunk, then trailers. */
  private static byte[] readChunked(InputStream in, StringBuilder line) throws IOException {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    while (true) {
      readLine(in, line);
      String size = line.toString();
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (n == 0) {
        do {
          readLine(in, line); // trailers, up to the empty line
        } while (line.length() > 0);
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      readLine(in, line);
    }
  }

  private static void readLine(InputStream in, StringBuilder line) throws IOException {
    line.setLength(0);
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    if (b < 0) {
      throw new java.io.EOFException("connection closed");
    }
  }
}
