package dev.jakartafaas.testing;

import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.event.container.AfterDeploy;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Remembers the address of the gateway Arquillian deployed last, for test classes that share one
 * deployment (the {@code @Nested} classes of {@code GatewayIT}): Arquillian injects its URL only
 * into the class that declares the deployment, and JUnit gives a nested test its own instance.
 * Registered as an Arquillian extension through {@code META-INF/services}.
 */
public final class DeployedGateway implements LoadableExtension {

  private static volatile URL last;

  @Override
  public void register(ExtensionBuilder builder) {
    builder.observer(Recorder.class);
  }

  /** The address of the last deployment; fails when nothing was deployed. */
  public static URL url() {
    URL url = last;
    if (url == null) {
      throw new IllegalStateException("no gateway deployed by Arquillian in this JVM");
    }
    return url;
  }

  /** Notes each deployment's HTTP address as Arquillian learns it. */
  public static final class Recorder {

    @Inject Instance<ProtocolMetaData> metaData;

    public void deployed(@Observes AfterDeploy event) throws Exception {
      ProtocolMetaData m = metaData.get();
      if (m == null) {
        return;
      }
      for (HTTPContext c : m.getContexts(HTTPContext.class)) {
        last = URI.create("http://" + c.getHost() + ":" + c.getPort() + "/").toURL();
        return;
      }
    }
  }
}
