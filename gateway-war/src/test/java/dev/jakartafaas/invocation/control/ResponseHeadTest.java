package dev.jakartafaas.invocation.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseHeadTest {

  private static ResponseHead parse(String head) {
    return ResponseHead.parse(List.of(head.split("\\|")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        // head (lines split by |) ; status ; length ; chunked ; keepAlive
        "HTTP/1.1 200 OK|Content-Length: 5; 200; 5; false; true",
        "HTTP/1.1 200 OK|Transfer-Encoding: chunked; 200; -1; true; true",
        "HTTP/1.1 200 OK|Transfer-Encoding: chunked|Content-Length: 9; 200; -1; true; true",
        "HTTP/1.1 500 Internal Server Error|Content-Length: 0|Connection: close; 500; 0; false; false",
        "HTTP/1.1 204 No Content; 204; -1; false; true",
        "HTTP/1.0 200 OK|Content-Length: 1; 200; 1; false; false",
        "HTTP/1.0 200 OK|Content-Length: 1|Connection: keep-alive; 200; 1; false; true",
        "HTTP/1.1 200|content-length:  7 ; 200; 7; false; true",
        "HTTP/1.1 404 Not Found|Content-Length: 3|Content-Length: 3; 404; 3; false; true",
      })
  void readsStatusFramingAndReuse(
      String head, int status, long length, boolean chunked, boolean keepAlive) {
    ResponseHead h = parse(head);
    assertEquals(status, h.status());
    assertEquals(length, h.contentLength());
    assertEquals(chunked, h.chunked());
    assertEquals(keepAlive, h.keepAlive());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "HTTP/2 200 OK",
        "ICY 200 OK",
        "HTTP/1.1 abc OK",
        "HTTP/1.1 200 OK|no colon here",
        "HTTP/1.1 200 OK|Content-Length: -1",
        "HTTP/1.1 200 OK|Content-Length: x",
        "HTTP/1.1 200 OK|Content-Length: 3|Content-Length: 4",
      })
  void rejectsWhatIsNotHttp11(String head) {
    assertThrows(IllegalArgumentException.class, () -> parse(head));
  }

  @ParameterizedTest(name = "{0} {1}: bodyless {2}, until close {3}")
  @CsvSource({
    "GET, HTTP/1.1 200 OK, false, true",
    "HEAD, HTTP/1.1 200 OK, true, false",
    "GET, HTTP/1.1 204 No Content, true, false",
    "GET, HTTP/1.1 304 Not Modified, true, false",
    "GET, HTTP/1.1 101 Switching, true, false",
  })
  void knowsWhenThereIsNoBody(String method, String statusLine, boolean bodyless, boolean toEnd) {
    ResponseHead h = parse(statusLine);
    assertEquals(bodyless, h.bodyless(method));
    assertEquals(toEnd, h.delimitedByClose(method));
  }
}
