package dev.jakartafaas.backend.process.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.problems.entity.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaCommandTest {

  private static final Map<String, String> GATEWAY_ENV =
      Map.of(
          "PATH", "/usr/bin:/bin",
          "HOME", "/root",
          "LANG", "C.UTF-8",
          "AWS_SECRET_ACCESS_KEY", "do-not-leak",
          "FAAS_DATA_DIR", "/srv/data",
          "JAVA_TOOL_OPTIONS", "-Dx=y");
  private static final List<String> ALLOW = List.of("PATH", "HOME", "LANG", "TZ");
  private static final Path TMP = Path.of("/data/tmp/echoit-1");

  private static ProcessSettings settings(String setsid) {
    return new ProcessSettings(
        "/usr/bin/java",
        List.of("-Xmx32m", "-XX:+UseSerialGC"),
        Path.of("/opt/watchdog.jar"),
        setsid,
        Path.of("/srv"),
        Path.of("/srv/data"),
        ALLOW,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        100);
  }

  @Test
  void passesOnOnlyAllowListedVariablesOfTheGateway() {
    Map<String, String> env =
        ReplicaCommand.environment(
            GATEWAY_ENV, ALLOW, FunctionDeployment.of("e", "cat"), 4000, TMP);
    assertEquals(
        Map.of(
            "PATH", "/usr/bin:/bin",
            "HOME", "/root",
            "LANG", "C.UTF-8",
            "fprocess", "cat",
            "port", "4000",
            "bind_address", "127.0.0.1",
            "TMPDIR", TMP.toString()),
        env);
    assertFalse(env.containsKey("AWS_SECRET_ACCESS_KEY"));
    assertFalse(env.containsKey("TZ"), "absent in the gateway, absent in the replica");
  }

  @Test
  void functionVariablesOverrideInheritedOnesAndEnvProcessWins() {
    FunctionDeployment d =
        FunctionDeployment.of("e", "wc -l")
            .withEnvVars(Map.of("LANG", "de_DE.UTF-8", "fprocess", "cat", "write_debug", "true"));
    Map<String, String> env = ReplicaCommand.environment(GATEWAY_ENV, ALLOW, d, 4000, TMP);
    assertEquals("de_DE.UTF-8", env.get("LANG"));
    assertEquals("wc -l", env.get("fprocess"));
    assertEquals("true", env.get("write_debug"));
  }

  @Test
  void fprocessMayComeFromEnvVarsWhenEnvProcessIsEmpty() {
    FunctionDeployment d = FunctionDeployment.of("e", "").withEnvVars(Map.of("fprocess", "cat"));
    ReplicaCommand.validate(d);
    assertEquals("cat", ReplicaCommand.environment(Map.of(), ALLOW, d, 1, TMP).get("fprocess"));
  }

  @Test
  void pointsReplicasOfAFunctionWithSecretsAtTheirOwnSecretsDirectory() {
    FunctionDeployment d =
        new FunctionDeployment(
            "e", "", "cat", null, null, null, List.of("db-password"), null, null, null, false);
    Map<String, String> env = ReplicaCommand.environment(GATEWAY_ENV, ALLOW, d, 4000, TMP);
    assertEquals("/data/tmp/echoit-1/secrets", env.get("secret_mount_path"));
    assertEquals(Path.of("/data/tmp/echoit-1/secrets"), ReplicaCommand.secretsDirectory(TMP));
  }

  @Test
  void setsNoSecretsDirectoryForAFunctionWithoutSecrets() {
    assertFalse(
        ReplicaCommand.environment(GATEWAY_ENV, ALLOW, FunctionDeployment.of("e", "cat"), 1, TMP)
            .containsKey("secret_mount_path"));
  }

  @Test
  void startsEachReplicaThroughSetsidWithItsMarkers() {
    assertEquals(
        List.of(
            "setsid",
            "/usr/bin/java",
            "-Xmx32m",
            "-XX:+UseSerialGC",
            "-Dfaas.replica.of=/srv/data",
            "-Dfaas.replica.name=echoit-1",
            "-jar",
            "/opt/watchdog.jar"),
        ReplicaCommand.command(settings("setsid"), "echoit-1"));
  }

  @Test
  void joinsTheReplicasCgroupsBetweenSetsidAndTheJvm() {
    List<String> join = List.of("/bin/sh", "/srv/data/cgroup-join.sh", "/cg/pids/procs", "--");
    List<String> command = ReplicaCommand.command(settings("setsid"), "echoit-1", join);
    assertEquals(List.of("setsid", "/bin/sh", "/srv/data/cgroup-join.sh"), command.subList(0, 3));
    assertEquals(List.of("/cg/pids/procs", "--", "/usr/bin/java"), command.subList(3, 6));
  }

  @ParameterizedTest(name = "envProcess \"{0}\", envVars fprocess \"{1}\" -> \"{2}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "cat||cat",
        "python3 handler.py||python3 handler.py",
        "|node index.js|node index.js",
        "cat|ignored|cat",
      })
  void keepsFprocessAsDeployedAndNamesTheFunctionsCgroupForTheWatchdog(
      String envProcess, String envFprocess, String expected) {
    FunctionDeployment d =
        FunctionDeployment.of("e", envProcess)
            .withEnvVars(envFprocess == null ? Map.of() : Map.of("fprocess", envFprocess));
    Map<String, String> env =
        ReplicaCommand.environment(
            GATEWAY_ENV, ALLOW, d, 4000, TMP, Path.of("/cg/pids/e-1/function/cgroup.procs"));
    assertEquals(expected, env.get("fprocess"));
    assertEquals("/cg/pids/e-1/function/cgroup.procs", env.get("cgroup_procs"));
  }

  @Test
  void setsNoCgroupProcsWithoutCgroups() {
    Map<String, String> env =
        ReplicaCommand.environment(
            GATEWAY_ENV, ALLOW, FunctionDeployment.of("e", "cat"), 4000, TMP);
    assertFalse(env.containsKey("cgroup_procs"));
    assertEquals("cat", env.get("fprocess"));
  }

  @Test
  void startsReplicasDirectlyWhenSetsidIsDisabled() {
    assertEquals("/usr/bin/java", ReplicaCommand.command(settings(""), "e-1").get(0));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing command||{}|field 'envProcess' is required",
        "blank command|   |{}|field 'envProcess' is required",
        "reserved port|cat|{\"port\":\"1\"}|envVars may not set 'port'",
        "reserved bind|cat|{\"bind_address\":\"0.0.0.0\"}|envVars may not set 'bind_address'",
        "reserved tmpdir|cat|{\"TMPDIR\":\"/tmp\"}|envVars may not set 'TMPDIR'",
        "reserved secrets|cat|{\"secret_mount_path\":\"/x\"}|envVars may not set"
            + " 'secret_mount_path'",
        "reserved cgroup|cat|{\"cgroup_procs\":\"/etc/passwd\"}|envVars may not set"
            + " 'cgroup_procs'",
        "bad name|cat|{\"A-B\":\"1\"}|envVars name 'A-B' is not a valid",
        "empty name|cat|{\"\":\"1\"}|envVars name '' is not a valid",
      })
  void rejectsWhatTheProcessBackendCannotRun(
      String title, String envProcess, String envVars, String message) {
    Map<String, String> vars = new HashMap<>();
    String inner = envVars.substring(1, envVars.length() - 1);
    if (!inner.isEmpty()) {
      String[] kv = inner.split(":");
      vars.put(kv[0].replace("\"", ""), kv[1].replace("\"", ""));
    }
    FunctionDeployment d = FunctionDeployment.of("e", envProcess).withEnvVars(vars);
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ReplicaCommand.validate(d));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void rejectsNulInValues() {
    assertThrows(
        InvalidInputException.class,
        () -> ReplicaCommand.validate(FunctionDeployment.of("e", "cat\0x")));
    assertThrows(
        InvalidInputException.class,
        () ->
            ReplicaCommand.validate(
                FunctionDeployment.of("e", "cat").withEnvVars(Map.of("A", "x\0y"))));
  }

  @Test
  void looksTheProgramUpOnThePathTheReplicaWillHave() {
    Path work = Path.of("/");
    FunctionDeployment cat = FunctionDeployment.of("e", "cat");
    ReplicaCommand.validate(cat, Map.of("PATH", "/usr/bin:/bin"), ALLOW, work);
    // the gateway's PATH reaches the replica only when allow-listed
    InvalidInputException notAllowed =
        assertThrows(
            InvalidInputException.class,
            () -> ReplicaCommand.validate(cat, Map.of("PATH", "/nowhere"), ALLOW, work));
    assertTrue(notAllowed.getMessage().contains("(/nowhere)"), notAllowed.getMessage());
    // the deployment's own PATH wins
    FunctionDeployment own = cat.withEnvVars(Map.of("PATH", "/bin"));
    ReplicaCommand.validate(own, Map.of("PATH", "/nowhere"), ALLOW, work);
    InvalidInputException missing =
        assertThrows(
            InvalidInputException.class,
            () ->
                ReplicaCommand.validate(
                    FunctionDeployment.of("e", "no-such-command-4711"),
                    Map.of("PATH", "/usr/bin:/bin"),
                    ALLOW,
                    work));
    assertTrue(missing.getMessage().contains("'no-such-command-4711'"), missing.getMessage());
  }
}
