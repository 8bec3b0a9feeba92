package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.problems.entity.BackendUnavailableException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerEngineTest {

  private static SwarmSettings settings(String host) {
    return new SwarmSettings(
        host,
        "functions",
        "",
        Duration.ofMillis(700),
        Duration.ofMillis(250),
        8080,
        Duration.ofSeconds(1),
        5,
        Duration.ofSeconds(1),
        "1000");
  }

  @Test
  void engineThatNeverAnswersIs503WithinTheApiTimeout() throws Exception {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (Exception e) {
                  // closed
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      try (DockerEngine engine =
          new DockerEngine(settings("tcp://127.0.0.1:" + silent.getLocalPort()))) {
        long start = System.nanoTime();
        assertThrows(BackendUnavailableException.class, engine::functionServices);
        assertThrows(BackendUnavailableException.class, engine::runningTasks);
        // two calls, each bounded by the 0.7 s timeout; generous for a busy machine
        assertTrue(
            Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
      }
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void engineThatIsNotThereIs503() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    try (DockerEngine engine = new DockerEngine(settings("tcp://127.0.0.1:" + port))) {
      BackendUnavailableException e =
          assertThrows(BackendUnavailableException.class, engine::functionServices);
      assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }
  }

  @Test
  void missingUnixSocketIs503() {
    try (DockerEngine engine = new DockerEngine(settings("unix:///nonexistent/docker.sock"))) {
      assertThrows(BackendUnavailableException.class, engine::functionServices);
    }
  }
}
