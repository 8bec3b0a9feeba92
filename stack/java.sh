# Which Java runs the platform: $JAVA_HOME when set, else Temurin 25 where it is installed (the
# Java the platform is tuned for: posix_spawn in the watchdog, compact object headers), else the
# default java (17 is the floor). Source it; it defines faas_java_home, faas_java and faas_use_java.
# shellcheck shell=bash

faas_java_home() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    echo "$JAVA_HOME"; return
  fi
  for candidate in /usr/lib/jvm/temurin-25-jdk-*; do
    if [ -x "$candidate/bin/java" ]; then echo "$candidate"; return; fi
  done
  candidate=$(readlink -f "$(command -v java)")
  echo "${candidate%/bin/java}"
}

faas_java() {
  echo "$(faas_java_home)/bin/java"
}

# faas_use_java: exports JAVA_HOME (and puts its bin first on PATH) for the platform's Java, so
# java, jlink and Maven's own JVM (and the JVMs its tests fork) are that Java
faas_use_java() {
  JAVA_HOME=$(faas_java_home)
  PATH="$JAVA_HOME/bin:$PATH"
  export JAVA_HOME PATH
}
