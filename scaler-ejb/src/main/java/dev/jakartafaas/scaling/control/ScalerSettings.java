package dev.jakartafaas.scaling.control;

import java.time.Duration;

/**
 * The platform-wide scaling thresholds ({@code faas.scaler.*}).
 *
 * @param rpsThreshold requests per second per function above which the rate mode scales up
 * @param upAfter how long the load must hold before a step up
 * @param downAfter how long calm must hold before steps down (and the capacity mode's stable
 *     window)
 */
public record ScalerSettings(double rpsThreshold, Duration upAfter, Duration downAfter) {}
