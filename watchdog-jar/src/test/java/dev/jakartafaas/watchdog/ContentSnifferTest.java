package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentSnifferTest {

  private static String sniff(byte[] b) {
    return ContentSniffer.sniff(b, b.length);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "<html><body>x</body></html>|text/html; charset=utf-8",
        "<!DOCTYPE html>\\n<html>|text/html; charset=utf-8",
        "\\n\\t  <HEAD>|text/html; charset=utf-8",
        "<p>a paragraph</p>|text/html; charset=utf-8",
        "<!-- comment -->|text/html; charset=utf-8",
        "<br/>|text/plain; charset=utf-8",
        "<html|text/plain; charset=utf-8",
        "<htmlx>|text/plain; charset=utf-8",
        "<?xml version=\"1.0\"?><a/>|text/xml; charset=utf-8",
        "%PDF-1.7 ...|application/pdf",
        "%!PS-Adobe-3.0|application/postscript",
        "GIF89a....|image/gif",
        "{\"json\": true}|text/plain; charset=utf-8",
        "plain text\\r\\n\\fwith form feed and \\e escape|text/plain; charset=utf-8",
        "héllo, UTF-8|text/plain; charset=utf-8",
      })
  void tellsTextAndDocumentTypes(String body, String type) {
    String text =
        body.replace("\\n", "\n")
            .replace("\\t", "\t")
            .replace("\\r", "\r")
            .replace("\\f", "\f")
            .replace("\\e", "\u001b");
    assertEquals(type, sniff(text.getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "89504e470d0a1a0a0000, image/png",
    "ffd8ffe000104a464946, image/jpeg",
    "1f8b0800000000000003, application/x-gzip",
    "504b0304140000000800, application/zip",
    "0061736d01000000, application/wasm",
    "52494646000000005745425056503820, image/webp",
    "efbbbf68656c6c6f, text/plain; charset=utf-8",
    "feff0068, text/plain; charset=utf-16be",
    "fffe6800, text/plain; charset=utf-16le",
    "68656c6c6f00776f726c64, application/octet-stream",
    "0102030405, application/octet-stream",
    "41420b43, application/octet-stream",
  })
  void tellsBinaryTypesByTheirSignatures(String hex, String type) {
    assertEquals(type, sniff(HexFormat.of().parseHex(hex)));
  }

  @Test
  void looksAtTheFirst512BytesOnly() {
    byte[] b = new byte[600];
    java.util.Arrays.fill(b, (byte) 'a');
    b[550] = 0;
    assertEquals(ContentSniffer.TEXT, sniff(b));
    b[500] = 0;
    assertEquals(ContentSniffer.BINARY, sniff(b));
    assertEquals(ContentSniffer.TEXT, ContentSniffer.sniff(b, 400));
  }

  @Test
  void spoolHandsTheFirstBytesWhereverTheyAreKept() throws Exception {
    try (Spool spool = new Spool(0)) {
      byte[] big = new byte[Spool.MEMORY_BYTES + 10];
      big[0] = 'x';
      spool.write(new byte[0], 0, 0);
      spool.write(big, 0, big.length); // too large for memory: straight into the file
      assertEquals(512, spool.head(512).length);
      assertEquals('x', spool.head(512)[0]);
    }
    try (Spool spool = new Spool(0)) {
      spool.write("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
      assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), spool.head(512));
    }
  }
}
