package dev.jakartafaas.watchdog;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The content type of an answer that has none (no {@code content_type}, no {@code Content-Type} on
 * the request), told from its first bytes as the classic watchdog's HTTP server tells it: the
 * signatures of the WHATWG MIME sniffing standard for HTML, XML, PDF, PostScript, text with a byte
 * order mark, common images and archives, then plain UTF-8 text unless a byte that text does not
 * hold shows up, else {@code application/octet-stream}.
 */
final class ContentSniffer {

  /** The sniffing standard looks at this many bytes at most. */
  static final int SNIFF_BYTES = 512;

  static final String TEXT = "text/plain; charset=utf-8";
  static final String HTML = "text/html; charset=utf-8";
  static final String BINARY = "application/octet-stream";

  private static final List<String> HTML_TAGS =
      List.of(
          "<!DOCTYPE HTML",
          "<HTML",
          "<HEAD",
          "<SCRIPT",
          "<IFRAME",
          "<H1",
          "<DIV",
          "<FONT",
          "<TABLE",
          "<A",
          "<STYLE",
          "<TITLE",
          "<B",
          "<BODY",
          "<BR",
          "<P",
          "<!--");

  /** Byte signatures checked from the first byte, in order. */
  private record Magic(byte[] prefix, String type) {
    Magic(String prefix, String type) {
      this(prefix.getBytes(StandardCharsets.ISO_8859_1), type);
    }
  }

  private static final List<Magic> MAGIC =
      List.of(
          new Magic("%PDF-", "application/pdf"),
          new Magic("%!PS-Adobe-", "application/postscript"),
          new Magic("\u00fe\u00ff", "text/plain; charset=utf-16be"),
          new Magic("\u00ff\u00fe", "text/plain; charset=utf-16le"),
          new Magic("\u00ef\u00bb\u00bf", TEXT),
          new Magic("GIF87a", "image/gif"),
          new Magic("GIF89a", "image/gif"),
          new Magic("\u0089PNG\r\n\u001a\n", "image/png"),
          new Magic("\u00ff\u00d8\u00ff", "image/jpeg"),
          new Magic("BM", "image/bmp"),
          new Magic("\u0000\u0000\u0001\u0000", "image/x-icon"),
          new Magic("\u0000\u0000\u0002\u0000", "image/x-icon"),
          new Magic("OggS\u0000", "application/ogg"),
          new Magic("ID3", "audio/mpeg"),
          new Magic("\u001f\u008b\u0008", "application/x-gzip"),
          new Magic("PK\u0003\u0004", "application/zip"),
          new Magic("Rar!\u001a\u0007\u0000", "application/x-rar-compressed"),
          new Magic("Rar!\u001a\u0007\u0001\u0000", "application/x-rar-compressed"),
          new Magic("\u0000asm", "application/wasm"),
          new Magic("wOFF", "font/woff"),
          new Magic("wOF2", "font/woff2"));

  private ContentSniffer() {}

  /** The type of {@code length} bytes of {@code data}, of which at most the first 512 count. */
  static String sniff(byte[] data, int length) {
    int n = Math.min(Math.min(length, data.length), SNIFF_BYTES);
    int start = 0;
    while (start < n && isWhitespace(data[start])) {
      start++;
    }
    for (String tag : HTML_TAGS) {
      if (htmlTagAt(data, start, n, tag)) {
        return HTML;
      }
    }
    if (startsWith(data, start, n, "<?xml".getBytes(StandardCharsets.US_ASCII))) {
      return "text/xml; charset=utf-8";
    }
    for (Magic m : MAGIC) {
      if (startsWith(data, 0, n, m.prefix())) {
        return m.type();
      }
    }
    if (n >= 12
        && startsWith(data, 0, n, "RIFF".getBytes(StandardCharsets.US_ASCII))
        && startsWith(data, 8, n, "WEBPVP".getBytes(StandardCharsets.US_ASCII))) {
      return "image/webp";
    }
    for (int i = 0; i < n; i++) {
      if (isBinary(data[i])) {
        return BINARY;
      }
    }
    return TEXT;
  }

  /** A tag, matched without regard to case, then a space or {@code >}. */
  private static boolean htmlTagAt(byte[] data, int at, int n, String tag) {
    if (at + tag.length() >= n) {
      return false;
    }
    String seen =
        new String(data, at, tag.length(), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
    if (!seen.equals(tag)) {
      return false;
    }
    byte next = data[at + tag.length()];
    return next == ' ' || next == '>';
  }

  private static boolean startsWith(byte[] data, int at, int n, byte[] prefix) {
    if (at + prefix.length > n) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWhitespace(byte b) {
    return b == '\t' || b == '\n' || b == '\f' || b == '\r' || b == ' ';
  }

  /**
   * The bytes the standard calls binary data: controls other than tab, newlines, form feed, ESC.
   */
  private static boolean isBinary(byte b) {
    return (b >= 0x00 && b <= 0x08)
        || b == 0x0b
        || (b >= 0x0e && b <= 0x1a)
        || (b >= 0x1c && b <= 0x1f);
  }
}
