package dev.jakartafaas.backend.process.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.backend.entity.ReplicaStopped;
import dev.jakartafaas.backend.process.control.LimitSettings;
import dev.jakartafaas.backend.process.control.ProcessFunctions;
import dev.jakartafaas.backend.process.control.ProcessSettings;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.secrets.entity.Secret;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code process} backend as a CDI bean: reads its configuration, owns the {@link
 * ProcessFunctions} supervisor for the application's lifetime and stops every replica on undeploy.
 */
@ApplicationScoped
@Typed(ProcessBackend.class)
public class ProcessBackend implements Backend {

  @Inject
  @ConfigProperty(name = "faas.process.java")
  Optional<String> java;

  @Inject
  @ConfigProperty(name = "faas.process.jvm-options")
  String jvmOptions;

  @Inject
  @ConfigProperty(name = "faas.process.watchdog-jar")
  String watchdogJar;

  @Inject
  @ConfigProperty(name = "faas.process.setsid", defaultValue = "setsid")
  String setsid;

  @Inject
  @ConfigProperty(name = "faas.process.work-dir", defaultValue = ".")
  String workDir;

  @Inject
  @ConfigProperty(name = "faas.data-dir", defaultValue = "data")
  String dataDir;

  @Inject
  @ConfigProperty(name = "faas.process.env-allow-list", defaultValue = "PATH,HOME,LANG,TZ")
  List<String> envAllowList;

  @Inject
  @ConfigProperty(name = "faas.process.ready-timeout", defaultValue = "30s")
  Duration readyTimeout;

  @Inject
  @ConfigProperty(name = "faas.process.stop-timeout", defaultValue = "10s")
  Duration stopTimeout;

  @Inject
  @ConfigProperty(name = "faas.process.drain-delay", defaultValue = "1s")
  Duration drainDelay;

  @Inject
  @ConfigProperty(name = "faas.process.log-lines", defaultValue = "1000")
  int logLines;

  @Inject
  @ConfigProperty(name = "faas.process.cgroups", defaultValue = "true")
  boolean cgroups;

  @Inject
  @ConfigProperty(name = "faas.process.max-pids", defaultValue = "256")
  long maxPids;

  @Inject
  @ConfigProperty(name = "faas.process.default-memory")
  Optional<String> defaultMemory;

  @Inject
  @ConfigProperty(name = "faas.process.default-cpu")
  Optional<String> defaultCpu;

  @Resource ManagedThreadFactory threadFactory;

  @Inject Event<ReplicaStopped> stopped;

  private ProcessFunctions functions;

  @PostConstruct
  void start() {
    String javaCommand =
        java.filter(s -> !s.isBlank())
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ProcessSettings settings =
        new ProcessSettings(
            javaCommand.trim(),
            Arrays.stream(jvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
            Path.of(watchdogJar.trim()),
            setsid.trim(),
            Path.of(workDir.trim()),
            Path.of(dataDir.trim()),
            envAllowList.stream().map(String::trim).toList(),
            readyTimeout,
            stopTimeout,
            drainDelay,
            logLines);
    // the one read of the gateway's environment: ReplicaCommand passes on only allow-listed names
    functions =
        new ProcessFunctions(
            settings,
            new LimitSettings(cgroups, maxPids, defaultMemory.orElse(""), defaultCpu.orElse("")),
            System.getenv(),
            threadFactory,
            address -> stopped.fire(new ReplicaStopped(address)));
    functions.start();
  }

  @PreDestroy
  void stop() {
    functions.close();
  }

  @Override
  public String orchestration() {
    return "process";
  }

  @Override
  public FunctionState deploy(FunctionDeployment deployment) {
    return functions.deploy(deployment);
  }

  @Override
  public FunctionState update(FunctionDeployment deployment) {
    return functions.update(deployment);
  }

  @Override
  public void remove(String name) {
    functions.remove(name);
  }

  @Override
  public List<FunctionState> list() {
    return functions.list();
  }

  @Override
  public Optional<FunctionState> find(String name) {
    return functions.find(name);
  }

  @Override
  public void scale(String name, int replicas) {
    functions.scale(name, replicas);
  }

  @Override
  public Optional<List<ReplicaAddress>> readyReplicas(String name) {
    return functions.readyReplicas(name);
  }

  @Override
  public Optional<FunctionProblem> problem(String name) {
    return functions.problem(name);
  }

  @Override
  public List<LogLine> logs(String name, int tail, Instant since) {
    return functions.logs(name, tail, since);
  }

  @Override
  public List<String> secretNames() {
    return functions.secretNames();
  }

  @Override
  public void createSecret(Secret secret) {
    functions.createSecret(secret);
  }

  @Override
  public void updateSecret(Secret secret) {
    functions.updateSecret(secret);
  }

  @Override
  public void removeSecret(String name) {
    functions.removeSecret(name);
  }
}
