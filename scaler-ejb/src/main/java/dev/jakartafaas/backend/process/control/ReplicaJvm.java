package dev.jakartafaas.backend.process.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of the replicas' JVM: {@code faas.process.jvm-options}, plus {@code
 * faas.process.jvm-options-25} when the replica java is 25 or newer (flags that an older JVM
 * refuses to start with), plus the AOT cache once {@link AotCache} has one. The java's version is
 * asked once.
 */
final class ReplicaJvm {

  private static final Logger LOG = Logger.getLogger(ReplicaJvm.class.getName());
  private static final Pattern RELEASE_VERSION =
      Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)[^\"]*\"");
  private static final Pattern VERSION_LINE = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");

  /** The first Java whose flags {@code faas.process.jvm-options-25} holds. */
  static final int MODERN = 25;

  private final int feature;
  private final List<String> options;
  private volatile Path aotCache;

  private ReplicaJvm(int feature, List<String> options) {
    this.feature = feature;
    this.options = List.copyOf(options);
  }

  /** Asks the settings' java for its version (0 when it cannot tell) and picks the options. */
  static ReplicaJvm of(ProcessSettings settings) {
    return of(settings, featureVersion(settings.java()));
  }

  static ReplicaJvm of(ProcessSettings settings, int feature) {
    List<String> options = new ArrayList<>(settings.jvmOptions());
    if (feature >= MODERN) {
      options.addAll(settings.jvmOptions25());
    }
    return new ReplicaJvm(feature, options);
  }

  /** The java's feature version (17, 25, ...), or 0 when it cannot tell. */
  int feature() {
    return feature;
  }

  /** Whether this java can make and use an AOT cache ({@code -XX:AOTCacheOutput}, Java 25). */
  boolean aotCapable() {
    return feature >= MODERN;
  }

  /** The options without the AOT cache: those an AOT cache is trained with. */
  List<String> baseOptions() {
    return options;
  }

  /** The options a replica starts with now. */
  List<String> options() {
    Path cache = aotCache;
    if (cache == null) {
      return options;
    }
    List<String> withCache = new ArrayList<>(options);
    withCache.add("-XX:AOTCache=" + cache);
    return withCache;
  }

  /** Replicas started from now on use this AOT cache. */
  void useAotCache(Path cache) {
    this.aotCache = cache;
  }

  Path aotCache() {
    return aotCache;
  }

  /**
   * The feature version of a {@code java} executable: from the {@code release} file of its runtime
   * image when there is one, else from what {@code java -version} prints; 0 when neither tells.
   */
  static int featureVersion(String java) {
    try {
      String path = System.getenv().getOrDefault("PATH", "");
      Path executable = CommandLookup.require(java, Map.of("PATH", path), Path.of("."));
      Path release = executable.toRealPath().getParent().getParent().resolve("release");
      if (Files.isRegularFile(release)) {
        int v = fromRelease(Files.readString(release, StandardCharsets.UTF_8));
        if (v > 0) {
          return v;
        }
      }
    } catch (IOException | RuntimeException e) {
      // ask the java itself
    }
    return fromVersionOutput(run(java, "-version"));
  }

  /** {@code JAVA_VERSION="25.0.3"} of a runtime image's {@code release} file; 0 when absent. */
  static int fromRelease(String release) {
    Matcher m = RELEASE_VERSION.matcher(release);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** {@code openjdk version "17.0.15" ...} (or {@code "1.8.0_402"}); 0 when absent. */
  static int fromVersionOutput(String output) {
    Matcher m = VERSION_LINE.matcher(output);
    if (!m.find()) {
      return 0;
    }
    int first = Integer.parseInt(m.group(1));
    return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
  }

  private static String run(String java, String argument) {
    try {
      Process p = new ProcessBuilder(java, argument).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readNBytes(4096);
      }
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.warning(() -> "cannot ask " + java + " for its version: " + e.getMessage());
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
