package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.functions.entity.FunctionDeployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts one replica's process and cleans up after it: its private {@code TMPDIR} (with its copies
 * of the function's secrets), its cgroups when limits are enforced, and the watchdog JVM with the
 * replica's command line and environment ({@link ReplicaCommand}).
 */
final class ReplicaLaunch {

  private static final String SHELL = "/bin/sh";

  private final ProcessSettings settings;
  private final Map<String, String> gatewayEnv;
  private final SecretStore secrets;
  private volatile ReplicaCgroups cgroups = ReplicaCgroups.disabled("not started");
  private volatile ReplicaJvm jvm;
  private volatile AotCache aot;

  /**
   * @param gatewayEnv the gateway's environment, of which only the allow-listed names are passed on
   */
  ReplicaLaunch(ProcessSettings settings, Map<String, String> gatewayEnv, SecretStore secrets) {
    this.settings = settings;
    this.gatewayEnv = Map.copyOf(gatewayEnv);
    this.secrets = secrets;
  }

  /**
   * Sets up replica limits (or says why not), asks the replica java for its version once and
   * removes every replica's temporary directory.
   */
  void open() {
    jvm = ReplicaJvm.of(settings);
    aot = new AotCache(settings, jvm, gatewayEnv);
    Leftovers.deleteTree(tmpRoot());
    cgroups =
        settings.limits().cgroups()
            ? ReplicaCgroups.open(settings.dataDir())
            : ReplicaCgroups.disabled("switched off (faas.process.cgroups=false)");
  }

  /**
   * Finds or makes the replicas' AOT cache when their java has AOT caches and {@code
   * faas.process.aot-cache} is on; blocks (seconds when it trains one): run on a thread of its own.
   */
  void prepareAotCache() {
    AotCache cache = aot;
    if (cache != null) {
      cache.prepare();
    }
  }

  /** The replicas' java version and options (tests and diagnostics). */
  ReplicaJvm jvm() {
    return jvm;
  }

  /** Kills what is left in every replica's cgroups and removes the gateway's own. */
  void close() {
    AotCache cache = aot;
    if (cache != null) {
      cache.close();
    }
    cgroups.close();
  }

  /** How replica limits are enforced, or why not. */
  String limitsStatus() {
    return cgroups.status();
  }

  /**
   * Starts the replica's process; on failure removes whatever it had created for the replica.
   *
   * @throws IOException or a RuntimeException when the replica cannot be started
   */
  Process start(Replica r, FunctionDeployment deployment) throws IOException {
    Path tmp = tmpOf(r);
    CgroupPlan plan = null;
    try {
      Files.createDirectories(tmp);
      if (!deployment.secrets().isEmpty()) {
        secrets.copyTo(ReplicaCommand.secretsDirectory(tmp), deployment.secrets());
      }
      plan = cgroups.plan(r.instance(), settings.limits().of(deployment)).orElse(null);
      List<String> watchdogJoin = List.of();
      Path functionProcs = null;
      if (plan != null) {
        cgroups.create(plan);
        r.cgroup = plan;
        watchdogJoin = cgroups.joinPrefix(plan.watchdogJoins(), SHELL);
        functionProcs = plan.functionProcs();
      }
      ProcessBuilder pb =
          new ProcessBuilder(
              ReplicaCommand.command(settings, jvmOptions(), r.instance(), watchdogJoin));
      pb.directory(settings.workDir().toFile());
      pb.redirectErrorStream(true);
      pb.environment().clear();
      pb.environment()
          .putAll(
              ReplicaCommand.environment(
                  gatewayEnv,
                  settings.envAllowList(),
                  deployment,
                  r.address.port(),
                  tmp,
                  functionProcs));
      Process p = pb.start();
      try {
        p.getOutputStream().close();
      } catch (IOException e) {
        // nothing to tell the replica
      }
      return p;
    } catch (IOException | RuntimeException e) {
      if (plan != null) {
        cgroups.release(plan);
      }
      Leftovers.deleteTree(tmp);
      throw e;
    }
  }

  /** After the replica ended: whatever the function left in its cgroups dies, its files go. */
  void cleanUp(Replica r) {
    CgroupPlan plan = r.cgroup;
    if (plan != null) {
      cgroups.release(plan);
    }
    Leftovers.deleteTree(tmpOf(r));
  }

  private List<String> jvmOptions() {
    ReplicaJvm j = jvm;
    return j == null ? settings.jvmOptions() : j.options();
  }

  private Path tmpRoot() {
    return settings.dataDir().resolve("tmp");
  }

  private Path tmpOf(Replica r) {
    return tmpRoot().resolve(r.instance());
  }
}
