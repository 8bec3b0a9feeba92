package dev.jakartafaas.gateway;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Test-only addition to the deployed gateway: Arquillian discards Payara Micro's console (and its
 * server.log stays empty), so this captures every java.util.logging record in the gateway's JVM,
 * with the platform's own loggers ({@code dev.jakartafaas}) turned up to every level, and serves
 * them as text at {@code /it/log-capture}: the raw message, its parameters, the formatted message
 * and any stack trace.
 */
@WebListener
@WebServlet("/it/log-capture")
public class LogCapture extends HttpServlet implements ServletContextListener {

  private static final long serialVersionUID = 1L;
  private static final int MAX_RECORDS = 200_000;
  private static final ConcurrentLinkedQueue<String> RECORDS = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger COUNT = new AtomicInteger();
  // kept so that the level set on it is not lost when the logger is collected
  private static final Logger PLATFORM = Logger.getLogger("dev.jakartafaas");
  private static final Handler HANDLER =
      new Handler() {
        private final Formatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
          if (COUNT.incrementAndGet() > MAX_RECORDS) {
            return;
          }
          StringWriter text = new StringWriter();
          PrintWriter out = new PrintWriter(text);
          out.print(r.getLevel() + " " + r.getLoggerName() + " | " + r.getMessage());
          if (r.getParameters() != null) {
            out.print(" | " + Arrays.toString(r.getParameters()));
          }
          out.print(" | " + formatter.formatMessage(r));
          if (r.getThrown() != null) {
            out.println();
            r.getThrown().printStackTrace(out);
          }
          out.flush();
          RECORDS.add(text.toString());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @Override
  public void contextInitialized(ServletContextEvent e) {
    PLATFORM.setLevel(Level.ALL);
    HANDLER.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(HANDLER);
  }

  @Override
  public void contextDestroyed(ServletContextEvent e) {
    Logger.getLogger("").removeHandler(HANDLER);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("text/plain; charset=utf-8");
    resp.setHeader("X-Log-Records", Integer.toString(COUNT.get()));
    resp.getOutputStream().write(String.join("\n", RECORDS).getBytes(StandardCharsets.UTF_8));
  }
}
