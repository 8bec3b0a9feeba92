package dev.jakartafaas.platform.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.configuration.boundary.Settings;
import dev.jakartafaas.configuration.control.DurationConverter;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The keys the code reads (every settings record, through the two producers), the defaults in the
 * EJB jar's {@code microprofile-config.properties} and the table in {@code docs/configuration.md}
 * are the same set with the same defaults, so none can drift from the others.
 */
class ConfigurationKeysTest {

  private static final String DEFAULTS = "META-INF/microprofile-config.properties";
  private static final Path DOCS = Path.of("..", "docs", "configuration.md");
  private static final Pattern OPTIONAL_LINE = Pattern.compile("^# ([a-z][a-z0-9.-]+)=\\s*$");
  private static final Pattern DOCS_ROW =
      Pattern.compile("^\\| `([a-z][a-z0-9.-]+)` \\| `([A-Z0-9_]+)` \\| (.*?) \\| .*\\|$");

  /** Key to whether the code needs a value (getValue) or takes its absence (getOptionalValue). */
  private static final Map<String, Boolean> READ = new TreeMap<>();

  private static final Properties DEFAULT_VALUES = new Properties();
  private static final TreeSet<String> WITHOUT_DEFAULT = new TreeSet<>();
  private static final Map<String, String[]> DOCUMENTED = new TreeMap<>();

  @BeforeAll
  static void read() throws Exception {
    String text;
    try (InputStream in =
        ConfigurationKeysTest.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      assertNotNull(in, DEFAULTS + " on the class path (the EJB jar)");
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    DEFAULT_VALUES.load(new java.io.StringReader(text));
    for (String line : text.split("\n")) {
      Matcher m = OPTIONAL_LINE.matcher(line);
      if (m.matches()) {
        WITHOUT_DEFAULT.add(m.group(1));
      }
    }
    for (String line : Files.readAllLines(DOCS, StandardCharsets.UTF_8)) {
      Matcher m = DOCS_ROW.matcher(line);
      if (m.matches()) {
        DOCUMENTED.put(m.group(1), new String[] {m.group(2), m.group(3).trim()});
      }
    }
    Config config = recording();
    produceAll(new Settings(), config);
    produceAll(new GatewaySettings(), config);
  }

  /** Calls every producer method, which reads its record's keys from the recording config. */
  private static void produceAll(Object producer, Config config) throws Exception {
    Field field = producer.getClass().getDeclaredField("config");
    field.setAccessible(true);
    field.set(producer, config);
    int produced = 0;
    for (Method m : producer.getClass().getDeclaredMethods()) {
      if (m.isAnnotationPresent(Produces.class)) {
        m.setAccessible(true);
        assertNotNull(m.invoke(producer), m.getName());
        produced++;
      }
    }
    assertTrue(produced > 0, producer.getClass() + " produces settings");
  }

  /** A config that answers from the defaults file and notes every key asked for. */
  private static Config recording() {
    return (Config)
        Proxy.newProxyInstance(
            ConfigurationKeysTest.class.getClassLoader(),
            new Class<?>[] {Config.class},
            (proxy, method, args) -> {
              String key = (String) args[0];
              Class<?> type = (Class<?>) args[1];
              String value = DEFAULT_VALUES.getProperty(key);
              switch (method.getName()) {
                case "getValue" -> {
                  READ.merge(key, true, Boolean::logicalOr);
                  if (value == null || value.isEmpty()) {
                    throw new NoSuchElementException(key + " has no default in " + DEFAULTS);
                  }
                  return convert(value, type);
                }
                case "getOptionalValue" -> {
                  READ.merge(key, false, Boolean::logicalOr);
                  return value == null || value.isEmpty()
                      ? Optional.empty()
                      : Optional.of(convert(value, type));
                }
                default -> throw new UnsupportedOperationException(method.getName());
              }
            });
  }

  private static Object convert(String value, Class<?> type) {
    if (type == String.class) {
      return value;
    }
    if (type == Integer.class) {
      return Integer.valueOf(value.trim());
    }
    if (type == Long.class) {
      return Long.valueOf(value.trim());
    }
    if (type == Double.class) {
      return Double.valueOf(value.trim());
    }
    if (type == Boolean.class) {
      return Boolean.valueOf(value.trim());
    }
    if (type == Duration.class) {
      return DurationConverter.parse(value);
    }
    throw new IllegalArgumentException("no converter for " + type);
  }

  private static TreeSet<String> platformKeys(java.util.Collection<String> keys) {
    TreeSet<String> faas = new TreeSet<>();
    keys.stream().filter(k -> k.startsWith("faas.")).forEach(faas::add);
    return faas;
  }

  @Test
  void theCodeReadsExactlyTheKeysOfTheDefaultsFile() {
    TreeSet<String> inFile = platformKeys(DEFAULT_VALUES.stringPropertyNames());
    inFile.addAll(WITHOUT_DEFAULT);
    assertEquals(inFile, new TreeSet<>(READ.keySet()));
  }

  @Test
  void everyKeyTheCodeNeedsHasADefaultAndEveryOtherIsListedWithout() {
    READ.forEach(
        (key, required) -> {
          boolean hasDefault = DEFAULT_VALUES.containsKey(key);
          if (required) {
            assertTrue(hasDefault, key + " is read with getValue: it needs a default");
          } else {
            assertTrue(
                hasDefault || WITHOUT_DEFAULT.contains(key),
                key + " is optional: list it as '# " + key + "=' in " + DEFAULTS);
          }
          assertFalse(
              hasDefault && WITHOUT_DEFAULT.contains(key), key + " both has and lacks a default");
        });
  }

  @Test
  void theDocumentedTableHasEveryKeyOfTheDefaultsFileAndNoOther() {
    TreeSet<String> inFile = new TreeSet<>(DEFAULT_VALUES.stringPropertyNames());
    inFile.addAll(WITHOUT_DEFAULT);
    assertEquals(inFile, new TreeSet<>(DOCUMENTED.keySet()));
  }

  @Test
  void theDocumentedDefaultsAndVariablesAreTheFilesAndTheMicroProfileNames() {
    DOCUMENTED.forEach(
        (key, row) -> {
          assertEquals(
              key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"),
              row[0],
              key + ": the environment variable");
          String value = DEFAULT_VALUES.getProperty(key);
          if (value != null) {
            assertEquals("`" + value.trim() + "`", row[1], key + ": the documented default");
          } else {
            assertFalse(row[1].startsWith("`"), key + " has no default, the table gives " + row[1]);
          }
        });
  }

  @Test
  void theCodeReadsSomeKeysOfEveryComponent() throws IOException {
    for (String prefix :
        new String[] {
          "faas.backend",
          "faas.data-dir",
          "faas.gateway.",
          "faas.async.",
          "faas.secrets.",
          "faas.process.",
          "faas.swarm.",
          "faas.scaler.",
          "faas.auth."
        }) {
      assertTrue(READ.keySet().stream().anyMatch(k -> k.startsWith(prefix)), prefix + " is read");
    }
  }
}
