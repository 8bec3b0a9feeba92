package dev.jakartafaas.logs.control;

import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * How {@code /system/logs?follow=true} streams ({@code faas.logs.*}), read once from MicroProfile
 * Config.
 *
 * @param heartbeat a follower that got no line for this long gets an empty line: it keeps proxies
 *     from closing a quiet stream, and a client that went away is noticed by the failed write
 * @param maxFollowers most clients following at once; one more gets 429
 * @param followerBytes most bytes waiting for one slow client; beyond, its stream ends with a note
 */
public record LogsSettings(Duration heartbeat, int maxFollowers, int followerBytes) {

  public static final String HEARTBEAT = "faas.logs.heartbeat";
  public static final String MAX_FOLLOWERS = "faas.logs.max-followers";
  public static final String FOLLOWER_BYTES = "faas.logs.follower-bytes";

  public static LogsSettings from(Config config) {
    return new LogsSettings(
        config.getValue(HEARTBEAT, Duration.class),
        config.getValue(MAX_FOLLOWERS, Integer.class),
        config.getValue(FOLLOWER_BYTES, Integer.class));
  }
}
