package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.problems.entity.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a replica is launched: its command line and its environment. The environment is built from an
 * allow-list, never copied from the gateway, so the gateway's own settings and credentials do not
 * reach functions.
 */
public final class ReplicaCommand {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  static final String PORT = "port";
  static final String BIND_ADDRESS = "bind_address";
  static final String TMPDIR = "TMPDIR";
  static final String FPROCESS = "fprocess";

  /**
   * The watchdog writes each function process's pid into this {@code cgroup.procs} file (the
   * replica's {@code function} cgroup) right after starting it.
   */
  static final String CGROUP_PROCS = "cgroup_procs";

  /**
   * The directory holding the replica's copies of its function's secrets, one file per secret named
   * like it (OpenFaaS on containers mounts them at {@code /var/openfaas/secrets}).
   */
  public static final String SECRETS = "secret_mount_path";

  /** Variables the backend sets itself; a deployment may not set them. */
  static final Set<String> RESERVED = Set.of(PORT, BIND_ADDRESS, TMPDIR, SECRETS, CGROUP_PROCS);

  private ReplicaCommand() {}

  /** {@code [setsid] java <options> <markers> -jar watchdog.jar}. */
  public static List<String> command(ProcessSettings settings, String instance) {
    return command(settings, instance, List.of());
  }

  /**
   * {@code [setsid] [join] java <options> <markers> -jar watchdog.jar}, where {@code join} is a
   * command prefix that moves the process into its cgroups before the JVM starts.
   */
  public static List<String> command(
      ProcessSettings settings, String instance, List<String> joinPrefix) {
    return command(settings, settings.jvmOptions(), instance, joinPrefix);
  }

  /** As above, with the JVM options chosen for the replica java ({@link ReplicaJvm}). */
  static List<String> command(
      ProcessSettings settings, List<String> jvmOptions, String instance, List<String> joinPrefix) {
    List<String> command = new ArrayList<>();
    if (!settings.setsid().isBlank()) {
      command.add(settings.setsid());
    }
    command.addAll(joinPrefix);
    command.add(settings.java());
    command.addAll(jvmOptions);
    command.add(settings.ownerMarker());
    command.add("-Dfaas.replica.name=" + instance);
    command.add("-jar");
    command.add(settings.watchdogJar().toString());
    return command;
  }

  /**
   * The replica's whole environment: the allowed variables of the gateway's environment, then the
   * function's {@code envVars}, then {@code fprocess}, and the backend's own: the loopback {@code
   * port} and {@code bind_address}, a private {@code TMPDIR} (the watchdog keeps its lock file
   * there, so replicas must not share it) and, when the function names secrets, {@code
   * secret_mount_path}: the {@link #secretsDirectory} in it.
   */
  public static Map<String, String> environment(
      Map<String, String> gatewayEnv,
      List<String> allowList,
      FunctionDeployment deployment,
      int port,
      Path tmpDir) {
    return environment(gatewayEnv, allowList, deployment, port, tmpDir, null);
  }

  /**
   * As above, plus {@code cgroup_procs} when {@code functionProcs} is not null: the watchdog moves
   * each function process into that cgroup itself, so {@code fprocess} stays as deployed.
   */
  public static Map<String, String> environment(
      Map<String, String> gatewayEnv,
      List<String> allowList,
      FunctionDeployment deployment,
      int port,
      Path tmpDir,
      Path functionProcs) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : allowList) {
      String value = gatewayEnv.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.putAll(deployment.envVars());
    if (!deployment.envProcess().isBlank()) {
      env.put(FPROCESS, deployment.envProcess());
    }
    if (functionProcs != null) {
      env.put(CGROUP_PROCS, functionProcs.toString());
    }
    env.put(PORT, Integer.toString(port));
    env.put(BIND_ADDRESS, "127.0.0.1");
    env.put(TMPDIR, tmpDir.toString());
    if (!deployment.secrets().isEmpty()) {
      env.put(SECRETS, secretsDirectory(tmpDir).toString());
    }
    return env;
  }

  /** Where a replica with this {@code TMPDIR} finds its secrets. */
  public static Path secretsDirectory(Path tmpDir) {
    return tmpDir.resolve("secrets");
  }

  /**
   * Rejects what this backend cannot run, before anything is created: a missing or malformed
   * command, bad {@code envVars}, and a program that is not there for the replica's watchdog to
   * start (looked up on the {@code PATH} the replica will have, from its working directory).
   */
  public static void validate(
      FunctionDeployment d, Map<String, String> gatewayEnv, List<String> allowList, Path workDir) {
    validate(d);
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : allowList) {
      String value = gatewayEnv.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.putAll(d.envVars());
    CommandLookup.require(fprocess(d), env, workDir);
  }

  private static String fprocess(FunctionDeployment d) {
    return d.envProcess().isBlank() ? d.envVars().getOrDefault(FPROCESS, "") : d.envProcess();
  }

  /** Rejects a missing or malformed command and bad {@code envVars}. */
  public static void validate(FunctionDeployment d) {
    String fprocess = fprocess(d);
    if (fprocess.isBlank()) {
      throw new InvalidInputException(
          "field 'envProcess' is required by the process backend: the command to run, e.g. \"cat\"");
    }
    for (Map.Entry<String, String> e : d.envVars().entrySet()) {
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw new InvalidInputException(
            "envVars name '"
                + printable(e.getKey())
                + "' is not a valid environment variable name");
      }
      if (RESERVED.contains(e.getKey())) {
        throw new InvalidInputException(
            "envVars may not set '"
                + e.getKey()
                + "': the process backend sets it for each replica");
      }
      if (e.getValue().indexOf('\0') >= 0) {
        throw new InvalidInputException("envVars value of '" + e.getKey() + "' contains NUL");
      }
    }
    if (fprocess.indexOf('\0') >= 0) {
      throw new InvalidInputException("field 'envProcess' contains NUL");
    }
  }

  private static String printable(String s) {
    return FunctionNames.printable(s);
  }
}
