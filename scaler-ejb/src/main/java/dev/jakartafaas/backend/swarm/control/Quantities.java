package dev.jakartafaas.backend.swarm.control;

import dev.jakartafaas.problems.entity.InvalidInputException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the memory and CPU figures of a deployment's {@code limits} and {@code requests} as Docker
 * does: memory in bytes with binary units ({@code 128m}, {@code 128Mi}, {@code 1G}), CPU in cores
 * ({@code 0.5}) or millicores ({@code 500m}).
 */
public final class Quantities {

  private static final Pattern MEMORY =
      Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s?([kmgtp])?i?b?$", Pattern.CASE_INSENSITIVE);
  private static final Pattern CPU = Pattern.compile("^(\\d+(?:\\.\\d+)?)(m)?$");

  private Quantities() {}

  /** Bytes, or null when the figure is absent. */
  public static Long memoryBytes(String figure) {
    if (figure == null || figure.isBlank()) {
      return null;
    }
    Matcher m = MEMORY.matcher(figure.trim());
    if (!m.matches()) {
      throw new InvalidInputException(
          "memory '" + figure + "' is not a size such as 128m, 128Mi or 1G");
    }
    int power =
        m.group(2) == null ? 0 : "kmgtp".indexOf(m.group(2).toLowerCase(Locale.ROOT).charAt(0)) + 1;
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
    if (bytes.signum() <= 0) {
      throw new InvalidInputException("memory '" + figure + "' must be more than 0");
    }
    return bytes.longValue();
  }

  /** Billionths of a CPU, or null when the figure is absent. */
  public static Long nanoCpus(String figure) {
    if (figure == null || figure.isBlank()) {
      return null;
    }
    Matcher m = CPU.matcher(figure.trim());
    if (!m.matches()) {
      throw new InvalidInputException(
          "cpu '" + figure + "' is not a number of cores such as 0.5 or millicores such as 500m");
    }
    BigDecimal cores = new BigDecimal(m.group(1));
    if (m.group(2) != null) {
      cores = cores.movePointLeft(3);
    }
    long nanos = cores.movePointRight(9).longValue();
    if (nanos <= 0) {
      throw new InvalidInputException("cpu '" + figure + "' must be more than 0");
    }
    return nanos;
  }
}
