package dev.jakartafaas.gateway;

import dev.jakartafaas.ui.PortalChecks;
import java.io.File;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway WAR as built, on Payara Micro, with the process backend starting real watchdog
 * replicas: one deployment (one Payara boot) for every concern, each an abstract class of its own
 * run here as a {@code @Nested} class. Every test uses its own functions and removes them.
 */
@ExtendWith(ArquillianExtension.class)
class GatewayIT {

  @Deployment(testable = false)
  static WebArchive gateway() {
    return ShrinkWrap.create(WebArchive.class, "ROOT.war")
        .merge(
            ShrinkWrap.createFromZipFile(
                WebArchive.class, new File(System.getProperty("gateway.war"))));
  }

  @Nested
  class Invocation extends InvocationChecks {}

  @Nested
  class Api extends ApiChecks {}

  @Nested
  class Metrics extends MetricsChecks {}

  @Nested
  class Scaling extends ScalingChecks {}

  @Nested
  class Reliability extends ReliabilityChecks {}

  @Nested
  class Limits extends LimitsChecks {}

  @Nested
  class Async extends AsyncChecks {}

  @Nested
  class Schedule extends ScheduleChecks {}

  @Nested
  class Portal extends PortalChecks {}
}
