package dev.jakartafaas.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every environment variable of the platform ({@code FAAS_*}) that a script in {@code stack/} or
 * {@code bench/} or a stack file ({@code stack/docker-compose*.yml}) reads is named in the
 * documentation ({@code docs/*.md}), so that none is undocumented.
 */
class ScriptVariablesTest {

  private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).normalize();
  private static final Pattern READ = Pattern.compile("\\$\\{?(FAAS_[A-Z0-9_]+)");

  private static List<Path> files(String dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(ROOT.resolve(dir))) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void everyVariableTheScriptsReadIsDocumented() throws IOException {
    TreeMap<String, Set<String>> read = new TreeMap<>();
    for (String[] kind : new String[][] {{"stack", ".sh"}, {"bench", ".sh"}, {"stack", ".yml"}}) {
      for (Path script : files(kind[0], kind[1])) {
        Matcher m = READ.matcher(Files.readString(script, StandardCharsets.UTF_8));
        while (m.find()) {
          read.computeIfAbsent(m.group(1), k -> new TreeSet<>())
              .add(ROOT.relativize(script).toString());
        }
      }
    }
    assertFalse(read.isEmpty(), "no FAAS_ variable found in the scripts: the pattern is wrong");
    StringBuilder docs = new StringBuilder();
    for (Path doc : files("docs", ".md")) {
      docs.append(Files.readString(doc, StandardCharsets.UTF_8));
    }
    TreeMap<String, Set<String>> undocumented = new TreeMap<>();
    read.forEach(
        (name, scripts) -> {
          if (!Pattern.compile("\\b" + name + "\\b").matcher(docs).find()) {
            undocumented.put(name, scripts);
          }
        });
    assertEquals(new TreeMap<>(), undocumented, "variables read by scripts, not in docs/*.md");
  }
}
