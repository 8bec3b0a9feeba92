package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaJvmTest {

  private static ProcessSettings settings(List<String> options, List<String> options25) {
    return new ProcessSettings(
        "/usr/bin/java",
        options,
        Path.of("watchdog.jar"),
        "",
        Path.of("."),
        Path.of("data"),
        List.of("PATH"),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        Duration.ZERO,
        100,
        LimitSettings.OFF,
        options25,
        true);
  }

  @Test
  void readsTheFeatureVersionOfAReleaseFile() {
    assertEquals(
        25,
        ReplicaJvm.fromRelease(
            "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n"
                + "JAVA_VERSION=\"25.0.3\"\nJAVA_VERSION_DATE=\"2026-04-21\"\n"));
    assertEquals(17, ReplicaJvm.fromRelease("JAVA_VERSION=\"17.0.15\"\n"));
    assertEquals(26, ReplicaJvm.fromRelease("JAVA_VERSION=\"26-ea\"\n"));
    assertEquals(0, ReplicaJvm.fromRelease("IMPLEMENTOR=\"Debian\"\n"));
  }

  @Test
  void readsTheFeatureVersionThatJavaPrints() {
    assertEquals(
        17,
        ReplicaJvm.fromVersionOutput(
            "openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime Environment (build"));
    assertEquals(25, ReplicaJvm.fromVersionOutput("openjdk version \"25\" 2025-09-16 LTS"));
    assertEquals(8, ReplicaJvm.fromVersionOutput("java version \"1.8.0_402\""));
    assertEquals(0, ReplicaJvm.fromVersionOutput("bash: java: command not found"));
  }

  @Test
  void addsTheJava25OptionsOnlyFrom25On() {
    ProcessSettings s = settings(List.of("-Xmx32m"), List.of("-XX:+UseCompactObjectHeaders"));
    assertEquals(List.of("-Xmx32m"), ReplicaJvm.of(s, 17).options());
    assertEquals(List.of("-Xmx32m"), ReplicaJvm.of(s, 0).options());
    assertEquals(
        List.of("-Xmx32m", "-XX:+UseCompactObjectHeaders"), ReplicaJvm.of(s, 25).options());
    assertEquals(
        List.of("-Xmx32m", "-XX:+UseCompactObjectHeaders"), ReplicaJvm.of(s, 26).options());
  }

  @Test
  void usesAnAotCacheOnlyOnceItIsThere() {
    ReplicaJvm jvm = ReplicaJvm.of(settings(List.of("-Xmx32m"), List.of()), 25);
    assertTrue(jvm.aotCapable());
    assertEquals(List.of("-Xmx32m"), jvm.options());
    jvm.useAotCache(Path.of("/data/aot/watchdog-1.aot"));
    assertEquals(List.of("-Xmx32m", "-XX:AOTCache=/data/aot/watchdog-1.aot"), jvm.options());
    assertEquals(List.of("-Xmx32m"), jvm.baseOptions());
    assertFalse(ReplicaJvm.of(settings(List.of(), List.of()), 17).aotCapable());
  }

  @Test
  void asksTheRunningJavaForItsVersion() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    assertEquals(Runtime.version().feature(), ReplicaJvm.featureVersion(java));
  }
}
