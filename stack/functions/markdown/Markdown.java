import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sample function for the watchdog's {@code mode=http}: Markdown in, HTML out. It starts once,
 * listens on {@code PORT} (given by the watchdog) and stays warm, so it answers in well under a
 * millisecond. Run with {@code java Markdown.java}; every character of the input is escaped, and
 * only http, https, mailto and relative links are kept.
 */
public final class Markdown {

  private static final Pattern ORDERED = Pattern.compile("^\\s{0,3}(\\d{1,9})[.)]\\s+(.*)$");
  private static final Pattern UNORDERED = Pattern.compile("^\\s{0,3}[-*+]\\s+(.*)$");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern RULE = Pattern.compile("^\\s{0,3}([-*_])(\\s*\\1){2,}\\s*$");
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]*)\\)");
  private static final Pattern SAFE_URL =
      Pattern.compile("^(https?://|mailto:|/|#|\\./|\\.\\./|[A-Za-z0-9._~-]+(/|$)).*");

  private Markdown() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "5000"));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    server.createContext("/", Markdown::handle);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
    System.err.println("markdown: listening on 127.0.0.1:" + port);
  }

  private static void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (exchange) {
      String input = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      body = toHtml(input).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** Converts the common block and inline forms; anything else stays escaped text. */
  static String toHtml(String markdown) {
    String[] lines = markdown.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    StringBuilder html = new StringBuilder(markdown.length() * 2);
    List<String> paragraph = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      String line = lines[i];
      Matcher m;
      if (line.isBlank()) {
        flush(paragraph, html);
        i++;
      } else if (line.stripLeading().startsWith("```")) {
        flush(paragraph, html);
        StringBuilder code = new StringBuilder();
        i++;
        while (i < lines.length && !lines[i].stripLeading().startsWith("```")) {
          code.append(escape(lines[i])).append('\n');
          i++;
        }
        i++;
        html.append("<pre><code>").append(code).append("</code></pre>\n");
      } else if (line.startsWith("    ") && paragraph.isEmpty()) {
        StringBuilder code = new StringBuilder();
        while (i < lines.length && (lines[i].startsWith("    ") || lines[i].isBlank())) {
          code.append(escape(lines[i].length() >= 4 ? lines[i].substring(4) : "")).append('\n');
          i++;
        }
        html.append("<pre><code>").append(code.toString().stripTrailing()).append("\n</code></pre>\n");
      } else if ((m = HEADING.matcher(line)).matches()) {
        flush(paragraph, html);
        int level = m.group(1).length();
        html.append("<h").append(level).append('>').append(inline(m.group(2)));
        html.append("</h").append(level).append(">\n");
        i++;
      } else if (RULE.matcher(line).matches()) {
        flush(paragraph, html);
        html.append("<hr>\n");
        i++;
      } else if (line.stripLeading().startsWith(">")) {
        flush(paragraph, html);
        StringBuilder quoted = new StringBuilder();
        while (i < lines.length && lines[i].stripLeading().startsWith(">")) {
          String inner = lines[i].stripLeading().substring(1);
          quoted.append(inner.startsWith(" ") ? inner.substring(1) : inner).append('\n');
          i++;
        }
        html.append("<blockquote>\n").append(toHtml(quoted.toString())).append("</blockquote>\n");
      } else if (UNORDERED.matcher(line).matches() || ORDERED.matcher(line).matches()) {
        flush(paragraph, html);
        boolean ordered = ORDERED.matcher(line).matches();
        Pattern item = ordered ? ORDERED : UNORDERED;
        html.append(ordered ? "<ol>\n" : "<ul>\n");
        while (i < lines.length && (m = item.matcher(lines[i])).matches()) {
          html.append("<li>").append(inline(m.group(ordered ? 2 : 1))).append("</li>\n");
          i++;
        }
        html.append(ordered ? "</ol>\n" : "</ul>\n");
      } else {
        paragraph.add(line);
        i++;
      }
    }
    flush(paragraph, html);
    return html.toString();
  }

  private static void flush(List<String> paragraph, StringBuilder html) {
    if (paragraph.isEmpty()) {
      return;
    }
    html.append("<p>");
    for (int i = 0; i < paragraph.size(); i++) {
      String line = paragraph.get(i);
      boolean hardBreak = line.endsWith("  ") && i < paragraph.size() - 1;
      html.append(inline(line.strip()));
      if (i < paragraph.size() - 1) {
        html.append(hardBreak ? "<br>\n" : "\n");
      }
    }
    html.append("</p>\n");
    paragraph.clear();
  }

  /** Code spans first (their content is literal), then links, strong and emphasis. */
  static String inline(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    int i = 0;
    while (i < text.length()) {
      int tick = text.indexOf('`', i);
      if (tick < 0) {
        out.append(formatted(text.substring(i)));
        break;
      }
      int close = text.indexOf('`', tick + 1);
      if (close < 0) {
        out.append(formatted(text.substring(i)));
        break;
      }
      out.append(formatted(text.substring(i, tick)));
      out.append("<code>").append(escape(text.substring(tick + 1, close))).append("</code>");
      i = close + 1;
    }
    return out.toString();
  }

  private static String formatted(String text) {
    StringBuilder out = new StringBuilder();
    Matcher link = LINK.matcher(text);
    int last = 0;
    while (link.find()) {
      out.append(emphasis(escape(text.substring(last, link.start()))));
      String url = link.group(2);
      String label = emphasis(escape(link.group(1)));
      if (SAFE_URL.matcher(url).matches()) {
        out.append("<a href=\"").append(escape(url)).append("\">").append(label).append("</a>");
      } else {
        out.append(label);
      }
      last = link.end();
    }
    out.append(emphasis(escape(text.substring(last))));
    return out.toString();
  }

  private static String emphasis(String escaped) {
    return escaped
        .replaceAll("\\*\\*(\\S(?:.*?\\S)?)\\*\\*", "<strong>$1</strong>")
        .replaceAll("__(\\S(?:.*?\\S)?)__", "<strong>$1</strong>")
        .replaceAll("\\*(\\S(?:.*?\\S)?)\\*", "<em>$1</em>")
        .replaceAll("(?<![A-Za-z0-9])_(\\S(?:.*?\\S)?)_(?![A-Za-z0-9])", "<em>$1</em>");
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
