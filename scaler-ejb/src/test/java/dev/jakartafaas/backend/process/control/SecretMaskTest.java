package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretMaskTest {

  @ParameterizedTest(name = "{0} with [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "connecting with s3cr3t-token failed|s3cr3t-token|connecting with [secret] failed",
        "no secret here|s3cr3t-token|no secret here",
        "token=abcdef and abcdef again|abcdef|token=[secret] and [secret] again",
        // the longer value first, so a shorter one inside it does not leave a piece visible
        "key hunter2-longer|hunter2;hunter2-longer|key [secret]",
        "pin is 123|123|(withheld: it may hold a secret's value)",
        "pin is 4|123|pin is 4",
        // a value read from a file with its newline still matches the printed text
        "password: letmein|letmein\\n|password: [secret]",
        "nothing to mask||nothing to mask",
      })
  void masksSecretValues(String line, String values, String expected) {
    List<byte[]> bytes =
        values == null
            ? List.of()
            : Arrays.stream(values.split(";"))
                .map(v -> v.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8))
                .toList();
    assertEquals(expected, SecretMask.mask(line, bytes));
  }
}
