package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.jakartafaas.backend.entity.LogFollow;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.LogSink;
import dev.jakartafaas.testing.Poll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The swarm backend's log follow against a fake engine on loopback TCP and on a Unix socket (no
 * Docker): the request it sends, lines as they come, and that closing it ends the engine's
 * connection and the reading thread while the stream is quiet.
 */
class ServiceLogFollowTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "svc1|-1||false|/services/svc1/logs?stdout=1&stderr=1&timestamps=1&details=1&follow=0&tail=all",
        "svc1|10|2026-12-03T14:00:05Z|true|/services/svc1/logs?stdout=1&stderr=1&timestamps=1&details=1&follow=1&tail=10&since=1796306405.000000000",
        "a b|0|2026-12-03T14:00:05.000000042Z|true|/services/a+b/logs?stdout=1&stderr=1&timestamps=1&details=1&follow=1&tail=0&since=1796306405.000000042",
      })
  void asksTheEngineForBothStreamsWithTimestampsAndTasks(
      String service, int tail, String since, boolean follow, String path) {
    assertEquals(
        path,
        DockerEngine.logsPath(service, tail, since == null ? null : Instant.parse(since), follow));
  }

  static final class Recording implements LogSink {
    final List<LogLine> lines = new CopyOnWriteArrayList<>();
    final AtomicReference<String> ended = new AtomicReference<>();

    @Override
    public void line(LogLine line) {
      lines.add(line);
    }

    @Override
    public void end(String why) {
      ended.set(why);
    }
  }

  private static byte[] frame(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {1, 0, 0, 0, 0, 0, (byte) (b.length >> 8), (byte) b.length});
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static String readHead(InputStream in) throws IOException {
    return EngineLogStream.readHead(in);
  }

  /**
   * Answers one log request as the engine does for HTTP/1.0: a head, then frames, then nothing
   * until the client closes; tells what the client sent and when it closed.
   */
  private static void serve(
      InputStream in,
      OutputStream out,
      AtomicReference<String> request,
      CountDownLatch clientClosed,
      String... lines)
      throws IOException {
    request.set(readHead(in));
    out.write(
        "HTTP/1.0 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    for (String l : lines) {
      out.write(frame(l + "\n"));
    }
    out.flush();
    if (in.read() < 0) {
      clientClosed.countDown();
    }
  }

  @Test
  void followsOverTcpAndClosingEndsTheQuietStreamAndItsThread() throws Exception {
    AtomicReference<String> request = new AtomicReference<>();
    CountDownLatch clientClosed = new CountDownLatch(1);
    try (ServerSocket engine = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread server =
          new Thread(
              () -> {
                try (Socket s = engine.accept()) {
                  serve(
                      s.getInputStream(),
                      s.getOutputStream(),
                      request,
                      clientClosed,
                      "2026-12-03T14:00:01.5Z com.docker.swarm.task.id=task1 old line",
                      "2026-12-03T14:00:06.5Z com.docker.swarm.task.id=task1 kept line",
                      "2026-12-03T14:00:07Z com.docker.swarm.task.id=task2 new line");
                } catch (IOException e) {
                  // the test fails on what it did not get
                }
              });
      server.start();
      Recording sink = new Recording();
      String host = "tcp://127.0.0.1:" + engine.getLocalPort();
      Instant since = Instant.parse("2026-12-03T14:00:05Z");
      ServiceLogFollow follow =
          new ServiceLogFollow(
                  "fn",
                  5,
                  since,
                  (t, s) ->
                      EngineLogStream.open(
                          host, DockerEngine.logsPath("svc1", t, s, true), Duration.ofSeconds(5)),
                  sink,
                  Thread::new)
              .start();
      Poll.untilTrue(WAIT, "two lines", () -> sink.lines.size() == 2);
      assertTrue(
          request
              .get()
              .startsWith(
                  "GET /services/svc1/logs?stdout=1&stderr=1&timestamps=1&details=1&follow=1"
                      + "&tail=5&since=1796306405.000000000 HTTP/1.0\r\n"),
          request.get());
      assertEquals("kept line", sink.lines.get(0).text());
      assertEquals("task1", sink.lines.get(0).instance());
      assertEquals("task2", sink.lines.get(1).instance());
      Thread.sleep(200); // the stream is quiet now: the reader is blocked
      assertTrue(!follow.ended());
      follow.close();
      assertTrue(clientClosed.await(WAIT.toSeconds(), TimeUnit.SECONDS), "connection not closed");
      Poll.untilTrue(WAIT, "reader thread ended", follow::ended);
      assertEquals(null, sink.ended.get(), "a closed follow is not told it ended");
      server.join(WAIT.toMillis());
    }
  }

  @Test
  void followsOverAUnixSocketAndTellsTheEndOfTheEnginesStream() throws Exception {
    Path dir = Files.createTempDirectory("engine");
    Path socket = dir.resolve("docker.sock");
    AtomicReference<String> request = new AtomicReference<>();
    try (ServerSocketChannel engine = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      engine.bind(UnixDomainSocketAddress.of(socket));
      Thread server =
          new Thread(
              () -> {
                try (SocketChannel s = engine.accept()) {
                  request.set(readHead(Channels.newInputStream(s)));
                  s.write(
                      ByteBuffer.wrap(
                          ("HTTP/1.0 200 OK\r\n\r\n"
                                  + "2026-12-03T14:00:07Z com.docker.swarm.task.id=t9 plain tty\n")
                              .getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                  // the test fails on what it did not get
                }
              });
      server.start();
      Recording sink = new Recording();
      LogFollow follow =
          new ServiceLogFollow(
                  "fn",
                  -1,
                  null,
                  (t, s) ->
                      EngineLogStream.open(
                          "unix://" + socket,
                          DockerEngine.logsPath("svc2", t, s, true),
                          Duration.ofSeconds(5)),
                  sink,
                  Thread::new)
              .start();
      Poll.untilTrue(WAIT, "end told", () -> sink.ended.get() != null);
      assertEquals(List.of("plain tty"), sink.lines.stream().map(LogLine::text).toList());
      assertTrue(sink.ended.get().contains("ended the log stream of fn"), sink.ended.get());
      assertTrue(request.get().contains("&tail=all HTTP/1.0\r\n"), request.get());
      follow.close();
      server.join(WAIT.toMillis());
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void aServiceTheEngineDoesNotKnowIsNotFoundAndOtherAnswersFail() throws Exception {
    try (ServerSocket engine = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread server =
          new Thread(
              () -> {
                for (String answer :
                    List.of(
                        "HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"service x not found\"}",
                        "HTTP/1.0 500 Internal Server Error\r\n\r\n{\"message\":\"boom\"}")) {
                  try (Socket s = engine.accept()) {
                    readHead(s.getInputStream());
                    s.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      server.start();
      String host = "tcp://127.0.0.1:" + engine.getLocalPort();
      assertThrows(
          NotFoundException.class,
          () -> EngineLogStream.open(host, "/services/x/logs", Duration.ofSeconds(5)));
      IOException e =
          assertThrows(
              IOException.class,
              () -> EngineLogStream.open(host, "/services/x/logs", Duration.ofSeconds(5)));
      assertTrue(e.getMessage().contains("500") && e.getMessage().contains("boom"), e.getMessage());
      server.join(WAIT.toMillis());
    }
  }

  @Test
  void aRemovedServiceEndsTheFollowSayingSo() throws Exception {
    Recording sink = new Recording();
    new ServiceLogFollow(
            "gone",
            -1,
            null,
            (t, s) -> {
              throw new NotFoundException("service gone not found");
            },
            sink,
            Thread::new)
        .start();
    Poll.untilTrue(WAIT, "end told", () -> sink.ended.get() != null);
    assertEquals("function gone was removed", sink.ended.get());
  }
}
