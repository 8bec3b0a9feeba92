package dev.jakartafaas.watchdog;

import java.util.logging.Logger;

/**
 * Picks the launcher on Java 22 and newer: {@code posix_spawn} unless the user chose the JDK's or
 * the C library cannot be called (then the JDK's, said once in the log).
 */
final class Launchers {

  private static final Logger LOG = Logger.getLogger(Launchers.class.getName());

  private Launchers() {}

  static Launcher pick(Launcher.Choice choice) {
    if (choice == Launcher.Choice.JDK) {
      return new JdkLauncher();
    }
    String why = NativeLauncher.unavailable();
    if (why == null) {
      return new NativeLauncher();
    }
    if (choice == Launcher.Choice.NATIVE) {
      throw new WatchdogConfig.InvalidConfigException(
          "launcher=native: posix_spawn cannot be called here (" + why + ")");
    }
    LOG.warning("posix_spawn cannot be called here (" + why + "): the JDK starts functions");
    return new JdkLauncher();
  }
}
