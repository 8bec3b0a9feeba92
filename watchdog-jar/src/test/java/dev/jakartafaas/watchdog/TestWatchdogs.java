package dev.jakartafaas.watchdog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The watchdogs a test starts and the leftover markers it hands out, all stopped and killed when
 * the test ends: register with {@code @RegisterExtension}.
 */
final class TestWatchdogs implements AfterEachCallback {

  private final List<LocalWatchdog> started = new ArrayList<>();
  private final List<String> markers = new ArrayList<>();

  /** Starts a watchdog with the environment given as key, value, key, value... */
  LocalWatchdog start(Path dir, String... keysAndValues) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      env.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    LocalWatchdog watchdog = LocalWatchdog.start(dir, env);
    started.add(watchdog);
    return watchdog;
  }

  /** A unique marker for a background process; whatever carries it is killed after the test. */
  String marker() {
    String marker = Leftovers.uniqueSleep();
    markers.add(marker);
    return marker;
  }

  /** Writes a shell script into {@code dir} and returns the {@code fprocess} that runs it. */
  static String script(Path dir, String body) throws IOException {
    Path file = Files.createTempFile(dir, "function-", ".sh");
    Files.writeString(file, body + "\n");
    return "sh " + file;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    started.forEach(LocalWatchdog::close);
    markers.forEach(Leftovers::kill);
    started.clear();
    markers.clear();
  }
}
