package dev.jakartafaas.ear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The layout of {@code faas.ear} that a full application server relies on: an EJB module, a skinny
 * web module at the root context, libraries only in {@code lib/}, and the configuration defaults
 * where both modules see them. Runs after {@code package}, so in failsafe.
 */
class EarContentsIT {

  private static final Path EAR = Path.of(System.getProperty("faas.ear"));

  @Test
  void applicationXmlDeclaresTheEjbModuleTheWebModuleAtRootAndTheLibraryDirectory()
      throws IOException {
    String xml = new String(entry("META-INF/application.xml"), StandardCharsets.UTF_8);
    assertTrue(xml.contains("<ejb>scaler-ejb.jar</ejb>"), xml);
    assertTrue(xml.contains("<web-uri>gateway.war</web-uri>"), xml);
    assertTrue(xml.contains("<context-root>/</context-root>"), xml);
    assertTrue(xml.contains("<library-directory>lib</library-directory>"), xml);
  }

  @Test
  void everyJarBesidesTheEjbModuleIsInLib() throws IOException {
    try (ZipFile ear = new ZipFile(EAR.toFile())) {
      List<String> misplaced =
          ear.stream()
              .map(ZipEntry::getName)
              .filter(n -> n.endsWith(".jar") && !n.equals("scaler-ejb.jar"))
              .filter(n -> !n.matches("lib/[^/]+\\.jar"))
              .toList();
      assertEquals(List.of(), misplaced);
    }
  }

  @Test
  void webModuleIsSkinnyWithNoLibrariesAndNoOwnConfigurationDefaults() throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipInputStream war = new ZipInputStream(new ByteArrayInputStream(entry("gateway.war")))) {
      for (ZipEntry e = war.getNextEntry(); e != null; e = war.getNextEntry()) {
        names.add(e.getName());
      }
    }
    assertTrue(names.contains("WEB-INF/classes/dev/jakartafaas/platform/version.properties"));
    // scaler-ejb is the EJB module and its libraries are in the EAR's lib/: none here
    assertEquals(List.of(), names.stream().filter(n -> n.matches("WEB-INF/lib/.+\\.jar")).toList());
    // a WAR-local microprofile-config.properties is not seen in an EAR: defaults live in the EJB
    // jar
    assertEquals(
        List.of(),
        names.stream().filter(n -> n.endsWith("microprofile-config.properties")).toList());
  }

  @Test
  void ejbModuleCarriesTheConfigurationDefaultsOfBothModules() throws IOException {
    Properties defaults = new Properties();
    try (ZipInputStream ejb =
        new ZipInputStream(new ByteArrayInputStream(entry("scaler-ejb.jar")))) {
      for (ZipEntry e = ejb.getNextEntry(); e != null; e = ejb.getNextEntry()) {
        if (e.getName().equals("META-INF/microprofile-config.properties")) {
          defaults.load(ejb);
        }
      }
    }
    assertEquals("process", defaults.getProperty("faas.backend"));
    assertNotNull(defaults.getProperty("faas.gateway.upstream-timeout"), "a gateway key");
    assertNotNull(defaults.getProperty("faas.scaler.interval"), "a scaler key");
    assertNotNull(defaults.getProperty("mp.metrics.distribution.timer.buckets"), "metrics");
  }

  private static byte[] entry(String name) throws IOException {
    try (ZipFile ear = new ZipFile(EAR.toFile())) {
      ZipEntry e = ear.getEntry(name);
      assertNotNull(e, name + " in " + EAR);
      try (InputStream in = ear.getInputStream(e)) {
        return in.readAllBytes();
      }
    }
  }
}
