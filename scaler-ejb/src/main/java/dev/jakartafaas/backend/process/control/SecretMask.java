package dev.jakartafaas.backend.process.control;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * Masks secrets' values in a line a replica printed before the line is shown as the reason it
 * failed: a function may print what it read from its secrets, and reasons reach API clients.
 */
final class SecretMask {

  static final String MASK = "[secret]";

  /** What is shown instead of a line that holds a value too short to mask within it. */
  static final String WITHHELD = "(withheld: it may hold a secret's value)";

  /**
   * Values shorter than this are not masked within the line (that would hide ordinary letters and
   * digits): a line holding one is withheld whole.
   */
  static final int SHORTEST = 4;

  private SecretMask() {}

  /**
   * The line with every occurrence of each value (as UTF-8 text, trimmed) replaced by {@link
   * #MASK}, or {@link #WITHHELD} when a value shorter than {@link #SHORTEST} occurs in it.
   */
  static String mask(String line, List<byte[]> values) {
    List<String> texts =
        values.stream()
            .map(v -> new String(v, StandardCharsets.UTF_8).strip())
            .filter(t -> !t.isEmpty())
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    for (String t : texts) {
      if (t.length() < SHORTEST && line.contains(t)) {
        return WITHHELD;
      }
    }
    String masked = line;
    for (String t : texts) {
      masked = masked.replace(t, MASK);
    }
    return masked;
  }
}
