package dev.jakartafaas.scaling.control;

import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * The platform-wide scaling settings ({@code faas.scaler.*} and the largest count a scale request
 * may ask for), read once from MicroProfile Config.
 *
 * @param interval how often the autoscaler looks at every function
 * @param rpsThreshold requests per second per function above which the rate mode scales up
 * @param upAfter how long the load must hold before a step up
 * @param downAfter how long calm must hold before steps down (and the capacity mode's stable
 *     window)
 * @param maxReplicas the most replicas {@code POST /system/scale-function} may set
 */
public record ScalerSettings(
    Duration interval, double rpsThreshold, Duration upAfter, Duration downAfter, int maxReplicas) {

  public static final String INTERVAL = "faas.scaler.interval";
  public static final String RPS_THRESHOLD = "faas.scaler.rps-threshold";
  public static final String UP_AFTER = "faas.scaler.up-after";
  public static final String DOWN_AFTER = "faas.scaler.down-after";
  public static final String MAX_REPLICAS = "faas.gateway.max-replicas";

  /** The thresholds the replica calculation needs, as its tests give them. */
  public ScalerSettings(double rpsThreshold, Duration upAfter, Duration downAfter) {
    this(Duration.ofSeconds(1), rpsThreshold, upAfter, downAfter, 100);
  }

  public static ScalerSettings from(Config config) {
    return new ScalerSettings(
        config.getValue(INTERVAL, Duration.class),
        config.getValue(RPS_THRESHOLD, Double.class),
        config.getValue(UP_AFTER, Duration.class),
        config.getValue(DOWN_AFTER, Duration.class),
        config.getValue(MAX_REPLICAS, Integer.class));
  }
}
