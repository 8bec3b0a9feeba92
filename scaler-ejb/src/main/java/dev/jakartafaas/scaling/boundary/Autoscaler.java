package dev.jakartafaas.scaling.boundary;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.metrics.control.FunctionMetrics;
import dev.jakartafaas.scaling.control.FunctionLoads;
import dev.jakartafaas.scaling.control.Scaler;
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
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Collectors;

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

  @Inject FunctionMetrics counts;

  @Inject Scaler scaler;

  @Inject ScalerSettings settings;

  private final FunctionLoads loads = new FunctionLoads();

  @PostConstruct
  void start() {
    long millis = Math.max(1, settings.interval().toMillis());
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
        scaler.apply(name, f.replicas(), desired); // false: deleted since the list was read
      }
    }
  }
}
