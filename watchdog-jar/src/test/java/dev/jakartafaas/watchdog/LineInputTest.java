package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineInputTest {

  private static LineInput input(String text, int bufferBytes) {
    return new LineInput(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), bufferBytes);
  }

  @Test
  void readsCrlfAndBareLfLinesThenTheBody() throws IOException {
    LineInput in = input("GET / HTTP/1.1\r\nHost: x\n\r\nbody", 8);
    assertEquals("GET / HTTP/1.1", in.readLine(100));
    assertEquals("Host: x", in.readLine(100));
    assertEquals("", in.readLine(100));
    byte[] body = new byte[4];
    assertEquals(4, in.readNBytes(body, 0, 4));
    assertArrayEquals("body".getBytes(StandardCharsets.ISO_8859_1), body);
    assertEquals(-1, in.read());
  }

  @Test
  void joinsALineSplitAcrossManyBufferFills() throws IOException {
    String long1 = "x".repeat(1000);
    LineInput in = input(long1 + "\r\nnext\r\n", 7);
    assertEquals(long1, in.readLine(2000));
    assertEquals("next", in.readLine(2000));
    assertNull(in.readLine(2000));
  }

  @Test
  void refusesALineOverItsLimit() {
    LineInput in = input("y".repeat(300) + "\r\n", 16);
    assertThrows(LineInput.LineTooLong.class, () -> in.readLine(100));
  }

  @Test
  void reportsAStreamThatEndsInTheMiddleOfALine() {
    LineInput in = input("partial", 16);
    assertThrows(IOException.class, () -> in.readLine(100));
  }
}
