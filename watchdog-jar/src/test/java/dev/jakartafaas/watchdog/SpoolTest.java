package dev.jakartafaas.watchdog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpoolTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1000, Spool.MEMORY_BYTES - 1, Spool.MEMORY_BYTES, 3_000_000})
  void keepsBytesInOrderInMemoryAndOnDisk(int size) throws IOException {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);

    try (Spool spool = new Spool(0)) {
      assertTrue(spool.readFrom(new ByteArrayInputStream(data), new byte[64 * 1024]));
      assertEquals(size, spool.size());
      assertArrayEquals(data, contents(spool));
    }
  }

  @Test
  void keepsOrderWhenSmallWriteFollowsOneThatWentToDisk() throws IOException {
    byte[] data = new byte[Spool.MEMORY_BYTES + 20];
    new Random(3).nextBytes(data);
    int first = Spool.MEMORY_BYTES - 10;

    try (Spool spool = new Spool(0)) {
      spool.write(data, 0, first); // memory
      spool.write(data, first, 20); // over the memory budget: disk
      spool.write(data, first + 20, 10); // would fit in memory again, but must follow on disk

      assertArrayEquals(data, contents(spool));
    }
  }

  @Test
  void refusesBytesOverLimitAndKeepsRefusing() throws IOException {
    try (Spool spool = new Spool(10)) {
      assertTrue(spool.write(new byte[8], 0, 8));
      assertFalse(spool.write(new byte[3], 0, 3));
      assertFalse(spool.write(new byte[1], 0, 1));
      assertTrue(spool.overflowed());
      assertEquals(8, spool.size());
    }
  }

  @Test
  void readsToLimitExactly() throws IOException {
    try (Spool spool = new Spool(10)) {
      assertTrue(spool.readFrom(new ByteArrayInputStream(new byte[10]), new byte[4]));
    }
    try (Spool spool = new Spool(10)) {
      assertFalse(spool.readFrom(new ByteArrayInputStream(new byte[11]), new byte[4]));
    }
  }

  private static byte[] contents(Spool spool) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    spool.writeTo(out);
    return out.toByteArray();
  }
}
