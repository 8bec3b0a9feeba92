package dev.jakartafaas.platform.boundary;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InfoResourceTest {

  @Test
  void releaseIsTheBuiltProjectVersion() {
    String release = InfoResource.release();
    assertTrue(release.matches("\\d+\\.\\d+\\.\\d+.*"), release);
  }
}
