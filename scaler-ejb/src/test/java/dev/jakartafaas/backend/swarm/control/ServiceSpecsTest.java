package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.ServiceSpec;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.Resources;
import dev.jakartafaas.problems.entity.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceSpecsTest {

  private static SwarmSettings settings(String stack) {
    return new SwarmSettings(
        "unix:///var/run/docker.sock",
        "faas_functions",
        stack,
        Duration.ofSeconds(4),
        Duration.ofMillis(250),
        8080,
        Duration.ofSeconds(1),
        5,
        Duration.ofSeconds(1));
  }

  private static final FunctionDeployment FULL =
      new FunctionDeployment(
          "wordcount",
          "faas-fn-wordcount:latest",
          "wc -l",
          Map.of("write_debug", "true"),
          Map.of("com.openfaas.scale.max", "10"),
          Map.of("topic", "text"),
          List.of("api-key"),
          List.of("node.role==worker"),
          new Resources("128m", "0.5"),
          new Resources("64Mi", "250m"),
          true);

  @Test
  void serviceRunsTheImageWithDnsrrOnTheFunctionsNetwork() {
    ServiceSpec spec = ServiceSpecs.spec(FULL, settings(""), Map.of("api-key", "sec1"), 1);
    assertEquals("wordcount", spec.getName());
    assertEquals("faas-fn-wordcount:latest", spec.getTaskTemplate().getContainerSpec().getImage());
    assertEquals(EndpointResolutionMode.DNSRR, spec.getEndpointSpec().getMode());
    assertEquals("faas_functions", spec.getTaskTemplate().getNetworks().get(0).getTarget());
    assertEquals(1, ServiceSpecs.replicas(spec));
    assertTrue(spec.getTaskTemplate().getContainerSpec().getInit());
  }

  @Test
  void serviceCarriesTheFunctionLabelsAndTheUsersLabels() {
    Map<String, String> labels =
        ServiceSpecs.spec(FULL, settings(""), Map.of("api-key", "s"), 1).getLabels();
    assertEquals("true", labels.get("function"));
    assertEquals("wordcount", labels.get("com.openfaas.function"));
    assertEquals("10", labels.get("com.openfaas.scale.max"));
    assertFalse(labels.containsKey("com.docker.stack.namespace"));
  }

  @Test
  void fprocessAndEnvVarsBecomeEnvironment() {
    assertEquals(
        List.of("fprocess=wc -l", "write_debug=true"),
        ServiceSpecs.spec(FULL, settings(""), Map.of("api-key", "s"), 1)
            .getTaskTemplate()
            .getContainerSpec()
            .getEnv());
  }

  @Test
  void secretsAreMountedUnderVarOpenfaasSecrets() {
    var secret =
        ServiceSpecs.spec(FULL, settings(""), Map.of("api-key", "sec1"), 1)
            .getTaskTemplate()
            .getContainerSpec()
            .getSecrets()
            .get(0);
    assertEquals("sec1", secret.getSecretId());
    assertEquals("/var/openfaas/secrets/api-key", secret.getFile().getName());
  }

  @Test
  void limitsRequestsConstraintsAndReadOnlyAreApplied() {
    var task = ServiceSpecs.spec(FULL, settings(""), Map.of("api-key", "s"), 1).getTaskTemplate();
    assertEquals(134217728L, task.getResources().getLimits().getMemoryBytes());
    assertEquals(500000000L, task.getResources().getLimits().getNanoCPUs());
    assertEquals(67108864L, task.getResources().getReservations().getMemoryBytes());
    assertEquals(List.of("node.role==worker"), task.getPlacement().getConstraints());
    assertTrue(task.getContainerSpec().getReadOnly());
    assertEquals("/tmp", task.getContainerSpec().getMounts().get(0).getTarget());
  }

  @Test
  void inAStackTheServiceIsPrefixedAndLabelledWithTheStack() {
    ServiceSpec spec = ServiceSpecs.spec(FULL, settings("faas"), Map.of("api-key", "s"), 1);
    assertEquals("faas_wordcount", spec.getName());
    assertEquals("faas", spec.getLabels().get("com.docker.stack.namespace"));
    assertEquals("wordcount", ServiceSpecs.functionName(spec, settings("faas")));
    assertTrue(ServiceSpecs.isFunction(spec, settings("faas")));
    assertFalse(ServiceSpecs.isFunction(spec, settings("other")));
  }

  @Test
  void deploymentReadBackEqualsTheOneDeployed() {
    ServiceSpec spec = ServiceSpecs.spec(FULL, settings("faas"), Map.of("api-key", "s"), 3);
    FunctionDeployment back = ServiceSpecs.deployment(spec, settings("faas"));
    assertEquals(FULL.service(), back.service());
    assertEquals(FULL.image(), back.image());
    assertEquals(FULL.envProcess(), back.envProcess());
    assertEquals(FULL.envVars(), back.envVars());
    assertEquals(FULL.labels(), back.labels());
    assertEquals(FULL.annotations(), back.annotations());
    assertEquals(FULL.secrets(), back.secrets());
    assertEquals(FULL.constraints(), back.constraints());
    assertEquals(new Resources("134217728", "0.5"), back.limits());
    assertTrue(back.readOnlyRootFilesystem());
  }

  @Test
  void serviceWithoutTheFunctionLabelIsNotAFunction() {
    ServiceSpec other = new ServiceSpec().withName("db").withLabels(Map.of("app", "db"));
    assertFalse(ServiceSpecs.isFunction(other, settings("")));
  }

  @Test
  void stackServiceWithoutNameLabelIsNamedWithoutThePrefix() {
    ServiceSpec s =
        new ServiceSpec().withName("faas_echoit").withLabels(Map.of("function", "true"));
    assertEquals("echoit", ServiceSpecs.functionName(s, settings("faas")));
  }

  @Test
  void replicasCanBeChanged() {
    ServiceSpec spec = ServiceSpecs.spec(FULL, settings(""), Map.of("api-key", "s"), 1);
    assertEquals(5, ServiceSpecs.replicas(ServiceSpecs.withReplicas(spec, 5)));
  }

  @Test
  void missingImageIs400() {
    assertEquals(
        400,
        assertThrows(
                InvalidInputException.class,
                () ->
                    ServiceSpecs.spec(FunctionDeployment.of("f", "cat"), settings(""), Map.of(), 1))
            .status());
  }

  @Test
  void unknownSecretIs400() {
    assertThrows(
        InvalidInputException.class, () -> ServiceSpecs.spec(FULL, settings(""), Map.of(), 1));
  }

  @Test
  void imageDigestPinnedByStackDeployIsNotReported() {
    assertEquals("faas-fn-cat:latest", ServiceSpecs.stripDigest("faas-fn-cat:latest@sha256:abc"));
  }
}
