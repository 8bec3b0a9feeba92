package dev.jakartafaas.secrets.entity;

import java.security.MessageDigest;

/**
 * A named secret value, as created or updated through {@code /system/secrets}. The value is bytes
 * (a {@code value} string as UTF-8, or a base64 {@code rawValue}); {@link #toString} never shows
 * it, so a secret that ends up in a log message or an exception text reveals only its name.
 *
 * @param name a DNS-1123 label, like a function name
 * @param value the secret's bytes, at least one
 */
public record Secret(String name, byte[] value) {

  public Secret {
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.name.equals(name) && MessageDigest.isEqual(s.value, value);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "Secret[name=" + name + ", value=(" + value.length + " bytes, not shown)]";
  }
}
