package dev.jakartafaas.functions.control;

import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.problems.entity.InvalidInputException;

/**
 * Name and namespace rules: names are DNS-1123 labels, and {@code openfaas-fn} is the one
 * namespace, so that {@code echoit.openfaas-fn} and {@code echoit} name the same function.
 */
public final class FunctionNames {

  /** The one namespace functions live in. */
  public static final String NAMESPACE = "openfaas-fn";

  public static final int MAX_LENGTH = 63;

  private FunctionNames() {}

  /** True for a DNS-1123 label: {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}, at most 63 characters. */
  public static boolean isValid(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && !(c == '-' && i > 0 && i < name.length() - 1)) {
        return false;
      }
    }
    return true;
  }

  /** Returns the name if valid, else fails with a 400 saying why. */
  public static String require(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidInputException("function name is missing");
    }
    if (!isValid(name)) {
      throw new InvalidInputException(
          "invalid function name '"
              + printable(name)
              + "': use at most 63 lower-case letters, digits and '-', starting and ending with a"
              + " letter or digit");
    }
    return name;
  }

  /**
   * Checks an optional namespace (from a query parameter or a body): absent, empty or {@code
   * openfaas-fn} are fine, anything else is a 404.
   */
  public static void requireNamespace(String namespace) {
    if (namespace != null && !namespace.isEmpty() && !NAMESPACE.equals(namespace)) {
      throw new FunctionNotFoundException(
          "namespace '" + printable(namespace) + "' not found; the only namespace is " + NAMESPACE);
    }
  }

  /**
   * Resolves a reference as clients write it, {@code name} or {@code name.namespace}, to the
   * function's name.
   */
  public static String resolve(String reference) {
    if (reference == null || reference.isEmpty()) {
      throw new InvalidInputException("function name is missing");
    }
    int dot = reference.indexOf('.');
    if (dot < 0) {
      return require(reference);
    }
    String name = reference.substring(0, dot);
    String namespace = reference.substring(dot + 1);
    require(name);
    if (namespace.isEmpty()) {
      throw new InvalidInputException(
          "invalid function reference '"
              + printable(reference)
              + "': write name or name.namespace");
    }
    requireNamespace(namespace);
    return name;
  }

  /** Shortens and neutralises user input for inclusion in a one-line message. */
  public static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 80; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return s.length() > 80 ? b.append("...").toString() : b.toString();
  }
}
