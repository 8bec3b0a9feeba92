package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.ServiceSpec;
import dev.jakartafaas.backend.swarm.entity.SwarmSecret;
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
        Duration.ofSeconds(1),
        "1000");
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

  private static final SwarmSecret API_KEY = new SwarmSecret("api-key", "sec1", "api-key.v2", 2);

  @Test
  void serviceRunsTheImageWithDnsrrOnTheFunctionsNetwork() {
    ServiceSpec spec = ServiceSpecs.spec(FULL, settings(""), Map.of("api-key", API_KEY), 1);
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
        ServiceSpecs.spec(FULL, settings(""), Map.of("api-key", API_KEY), 1).getLabels();
    assertEquals("true", labels.get("function"));
    assertEquals("wordcount", labels.get("com.openfaas.function"));
    assertEquals("10", labels.get("com.openfaas.scale.max"));
    assertFalse(labels.containsKey("com.docker.stack.namespace"));
  }

  @Test
  void fprocessAndEnvVarsBecomeEnvironment() {
    assertEquals(
        List.of("fprocess=wc -l", "write_debug=true", "secret_mount_path=/var/openfaas/secrets"),
        ServiceSpecs.spec(FULL, settings(""), Map.of("api-key", API_KEY), 1)
            .getTaskTemplate()
            .getContainerSpec()
            .getEnv());
  }

  @Test
  void secretsAreMountedUnderVarOpenfaasSecrets() {
    var secret =
        ServiceSpecs.spec(FULL, settings(""), Map.of("api-key", API_KEY), 1)
            .getTaskTemplate()
            .getContainerSpec()
            .getSecrets()
            .get(0);
    assertEquals("sec1", secret.getSecretId());
    assertEquals("api-key.v2", secret.getSecretName());
    assertEquals("/var/openfaas/secrets/api-key", secret.getFile().getName());
    assertEquals(0400L, secret.getFile().getMode());
    assertEquals("1000", secret.getFile().getUid());
    assertEquals("1000", secret.getFile().getGid());
  }

  @Test
  void functionWithoutSecretsGetsNoSecretMountPath() {
    List<String> env =
        ServiceSpecs.spec(
                new FunctionDeployment(
                    "f", "img", "cat", Map.of(), Map.of(), Map.of(), List.of(), List.of(), null,
                    null, false),
                settings(""),
                Map.of(),
                1)
            .getTaskTemplate()
            .getContainerSpec()
            .getEnv();
    assertFalse(env.stream().anyMatch(e -> e.startsWith("secret_mount_path=")), env.toString());
  }

  @Test
  void envVarsMayNotSetSecretMountPath() {
    FunctionDeployment d =
        new FunctionDeployment(
            "f",
            "img",
            "cat",
            Map.of("secret_mount_path", "/tmp"),
            Map.of(),
            Map.of(),
            List.of(),
            List.of(),
            null,
            null,
            false);
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> ServiceSpecs.spec(d, settings(""), Map.of(), 1));
    assertEquals(
        "envVars may not set 'secret_mount_path': the swarm backend sets it for each replica",
        e.getMessage());
  }

  @Test
  void secretNamesReadBackFromTheMountedFileNotTheVersionedDockerName() {
    ServiceSpec spec = ServiceSpecs.spec(FULL, settings("faas"), Map.of("api-key", API_KEY), 1);
    FunctionDeployment back = ServiceSpecs.deployment(spec, settings("faas"));
    assertEquals(List.of("api-key"), back.secrets());
    assertEquals(Map.of("write_debug", "true"), back.envVars());
  }

  @Test
  void limitsRequestsConstraintsAndReadOnlyAreApplied() {
    var task =
        ServiceSpecs.spec(FULL, settings(""), Map.of("api-key", API_KEY), 1).getTaskTemplate();
    assertEquals(134217728L, task.getResources().getLimits().getMemoryBytes());
    assertEquals(500000000L, task.getResources().getLimits().getNanoCPUs());
    assertEquals(67108864L, task.getResources().getReservations().getMemoryBytes());
    assertEquals(List.of("node.role==worker"), task.getPlacement().getConstraints());
    assertTrue(task.getContainerSpec().getReadOnly());
    assertEquals("/tmp", task.getContainerSpec().getMounts().get(0).getTarget());
  }

  @Test
  void inAStackTheServiceIsPrefixedAndLabelledWithTheStack() {
    ServiceSpec spec = ServiceSpecs.spec(FULL, settings("faas"), Map.of("api-key", API_KEY), 1);
    assertEquals("faas_wordcount", spec.getName());
    assertEquals("faas", spec.getLabels().get("com.docker.stack.namespace"));
    assertEquals("wordcount", ServiceSpecs.functionName(spec, settings("faas")));
    assertTrue(ServiceSpecs.isFunction(spec, settings("faas")));
    assertFalse(ServiceSpecs.isFunction(spec, settings("other")));
  }

  @Test
  void aScheduleSurvivesTheServiceLabelsSoTheGatewayRestoresItFromSwarm() {
    FunctionDeployment scheduled =
        new FunctionDeployment(
            "nightly",
            "faas-fn-nightly:latest",
            "date",
            null,
            null,
            Map.of("topic", "cron-function", "schedule", "*/5 1-3 * * MON"),
            null,
            null,
            null,
            null,
            false);
    ServiceSpec spec = ServiceSpecs.spec(scheduled, settings(""), Map.of(), 1);
    FunctionDeployment back = ServiceSpecs.deployment(spec, settings(""));
    assertEquals(
        dev.jakartafaas.schedule.control.ScheduleAnnotations.of(scheduled),
        dev.jakartafaas.schedule.control.ScheduleAnnotations.of(back));
    assertTrue(dev.jakartafaas.schedule.control.ScheduleAnnotations.of(back).isPresent());
  }

  @Test
  void deploymentReadBackEqualsTheOneDeployed() {
    ServiceSpec spec = ServiceSpecs.spec(FULL, settings("faas"), Map.of("api-key", API_KEY), 3);
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
    ServiceSpec spec = ServiceSpecs.spec(FULL, settings(""), Map.of("api-key", API_KEY), 1);
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
  void unknownSecretIs400LikeOnTheProcessBackend() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> ServiceSpecs.spec(FULL, settings(""), Map.of(), 1));
    assertEquals(
        "secret api-key named in 'secrets' does not exist; create it with POST /system/secrets"
            + " first",
        e.getMessage());
  }

  @Test
  void imageDigestPinnedByStackDeployIsNotReported() {
    assertEquals("faas-fn-cat:latest", ServiceSpecs.stripDigest("faas-fn-cat:latest@sha256:abc"));
  }
}
