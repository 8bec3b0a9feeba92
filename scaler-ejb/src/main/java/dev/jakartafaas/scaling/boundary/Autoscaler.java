package dev.jakartafaas.scaling.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.invocation.control.InvocationCounts;
import dev.jakartafaas.problems.entity.FunctionNotFoundException;
import dev.jakartafaas.scaling.control.FunctionLoads;
import dev.jakartafaas.scaling.control.ScalerSettings;
import dev.jakartafaas.scaling.control.ScalingPolicy;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every {@code faas.scaler.interval}, reads each function's request rate and in-flight count from
 * the gateway's counters and sets the replicas that {@link
 * dev.jakartafaas.scaling.control.ReplicaCalculation} gives.
 */
@Singleton
@Startup
public class Autoscaler {

  private static final Logger LOG = Logger.getLogger(Autoscaler.class.getName());

  @Resource TimerService timers;

  @Inject Backend backend;

  @Inject InvocationCounts counts;

  @Inject
  @ConfigProperty(name = "faas.scaler.interval", defaultValue = "1s")
  Duration interval;

  @Inject
  @ConfigProperty(name = "faas.scaler.rps-threshold", defaultValue = "5")
  double rpsThreshold;

  @Inject
  @ConfigProperty(name = "faas.scaler.up-after", defaultValue = "5s")
  Duration upAfter;

  @Inject
  @ConfigProperty(name = "faas.scaler.down-after", defaultValue = "30s")
  Duration downAfter;

  private final FunctionLoads loads = new FunctionLoads();
  private ScalerSettings settings;

  @PostConstruct
  void start() {
    settings = new ScalerSettings(rpsThreshold, upAfter, downAfter);
    long millis = Math.max(1, interval.toMillis());
    timers.createIntervalTimer(millis, millis, new TimerConfig(null, false));
  }

  @Timeout
  void tick() {
    List<FunctionState> functions = backend.list();
    loads.retain(functions.stream().map(FunctionState::name).collect(Collectors.toSet()));
    for (FunctionState f : functions) {
      String name = f.name();
      ScalingPolicy policy = ScalingPolicy.fromLabels(f.deployment().labels());
      int desired =
          loads.desired(
              name,
              policy,
              settings,
              f.replicas(),
              counts.count(name),
              counts.inFlight(name),
              System.nanoTime());
      if (desired != f.replicas()) {
        LOG.info(() -> "autoscaler: " + name + " " + f.replicas() + " -> " + desired);
        try {
          backend.scale(name, desired);
          counts.scaled(name, f.replicas(), desired);
        } catch (FunctionNotFoundException e) {
          // deleted since the list was read
        }
      }
    }
  }
}
