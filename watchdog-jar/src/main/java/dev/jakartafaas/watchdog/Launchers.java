package dev.jakartafaas.watchdog;

/**
 * Picks the launcher on Java 17 to 21: always the JDK's. Java 22 and newer load this jar's other
 * version of this class (META-INF/versions/22), which can pick {@code posix_spawn}.
 */
final class Launchers {

  private Launchers() {}

  static Launcher pick(Launcher.Choice choice) {
    if (choice == Launcher.Choice.NATIVE) {
      throw new WatchdogConfig.InvalidConfigException(
          "launcher=native needs Java 22 or newer (this is Java "
              + Runtime.version().feature()
              + "): use launcher=auto or jdk");
    }
    return new JdkLauncher();
  }
}
