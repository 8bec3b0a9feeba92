package dev.jakartafaas.backend.swarm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.ServiceSpec;
import dev.jakartafaas.backend.swarm.entity.SwarmSecret;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretSpecsTest {

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

  @ParameterizedTest
  @CsvSource({
    "'',     api-key, 1, api-key",
    "'',     api-key, 3, api-key.v3",
    "faas,   api-key, 1, faas_api-key",
    "faas,   api-key, 2, faas_api-key.v2",
  })
  void dockerNamesAreLikeServiceNamesWithTheVersionAfterADot(
      String stack, String name, int version, String expected) {
    assertEquals(expected, SecretSpecs.dockerName(name, version, settings(stack)));
  }

  @Test
  void labelsMarkThePlatformsSecretWithNameVersionAndStack() {
    assertEquals(
        Map.of(
            "com.openfaas.secret", "true",
            "com.openfaas.secret.name", "api-key",
            "com.openfaas.secret.version", "2",
            "com.docker.stack.namespace", "faas"),
        SecretSpecs.labels("api-key", 2, settings("faas")));
    assertEquals(Map.of("com.openfaas.secret", "true"), SecretSpecs.filter(settings("")));
  }

  @Test
  void labelsReadBackAsTheSameSecret() {
    assertEquals(
        Optional.of(new SwarmSecret("api-key", "id1", "faas_api-key.v2", 2)),
        SecretSpecs.read(
            "id1",
            "faas_api-key.v2",
            SecretSpecs.labels("api-key", 2, settings("faas")),
            settings("faas")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not the platform's   | faas | {}",
        "another stack's      | faas | {com.openfaas.secret=true, com.openfaas.secret.name=x, com.docker.stack.namespace=other}",
        "no name label        | ''   | {com.openfaas.secret=true}",
        "label not true       | ''   | {com.openfaas.secret=false, com.openfaas.secret.name=x}",
      })
  void dockerSecretsThatAreNotThePlatformsAreIgnored(String why, String stack, String labels) {
    assertEquals(
        Optional.empty(), SecretSpecs.read("id", "x", parse(labels), settings(stack)), why);
  }

  @Test
  void deploysStackPasswordSecretIsNotAPlatformSecret() {
    // stack/deploy.sh labels its basic-auth secret with the stack only: never listed or mountable
    assertEquals(
        Optional.empty(),
        SecretSpecs.read(
            "id",
            "faas_basic-auth-password",
            Map.of("com.docker.stack.namespace", "faas"),
            settings("faas")));
  }

  @Test
  void namesAreSortedOnceEachAndCurrentIsTheNewestVersion() {
    List<SwarmSecret> all =
        List.of(
            new SwarmSecret("b", "b2", "b.v2", 2),
            new SwarmSecret("a", "a1", "a", 1),
            new SwarmSecret("b", "b1", "b", 1));
    assertEquals(List.of("a", "b"), SecretSpecs.names(all));
    assertEquals("b2", SecretSpecs.current(all).get("b").id());
    assertEquals(
        List.of("b1", "b2"), SecretSpecs.versions(all, "b").stream().map(SwarmSecret::id).toList());
  }

  @Test
  void repointChangesOnlyThatSecretsMountAndKeepsItsFile() {
    SwarmSettings s = settings("faas");
    FunctionDeployment d =
        new FunctionDeployment(
            "f",
            "img",
            "cat",
            Map.of(),
            Map.of(),
            Map.of(),
            List.of("a", "b"),
            List.of(),
            null,
            null,
            false);
    ServiceSpec spec =
        ServiceSpecs.spec(
            d,
            s,
            Map.of(
                "a", new SwarmSecret("a", "a1", "faas_a", 1),
                "b", new SwarmSecret("b", "b1", "faas_b", 1)),
            1);
    SwarmSecret newer = new SwarmSecret("b", "b2", "faas_b.v2", 2);

    List<ContainerSpecSecret> mounts =
        SecretSpecs.repoint(spec, "b", newer)
            .orElseThrow()
            .getTaskTemplate()
            .getContainerSpec()
            .getSecrets();

    assertEquals("a1", mounts.get(0).getSecretId());
    assertEquals("b2", mounts.get(1).getSecretId());
    assertEquals("faas_b.v2", mounts.get(1).getSecretName());
    assertEquals("/var/openfaas/secrets/b", mounts.get(1).getFile().getName());
    assertEquals(0400L, mounts.get(1).getFile().getMode());
    assertEquals(List.of("a", "b"), ServiceSpecs.deployment(spec, s).secrets());
  }

  @Test
  void repointLeavesServicesWithoutTheSecretAlone() {
    ServiceSpec spec =
        ServiceSpecs.spec(
            new FunctionDeployment(
                "f", "img", "cat", Map.of(), Map.of(), Map.of(), List.of(), List.of(), null, null,
                false),
            settings(""),
            Map.of(),
            1);
    assertTrue(SecretSpecs.repoint(spec, "b", new SwarmSecret("b", "b2", "b.v2", 2)).isEmpty());
    assertTrue(
        SecretSpecs.repoint(
                new ServiceSpec().withTaskTemplate(null), "b", new SwarmSecret("b", "b2", "b", 2))
            .isEmpty());
    assertTrue(
        SecretSpecs.repoint(
                new ServiceSpec()
                    .withTaskTemplate(
                        new com.github.dockerjava.api.model.TaskSpec()
                            .withContainerSpec(new ContainerSpec())),
                "b",
                new SwarmSecret("b", "b2", "b", 2))
            .isEmpty());
  }

  private static Map<String, String> parse(String labels) {
    String body = labels.substring(1, labels.length() - 1).strip();
    if (body.isEmpty()) {
      return Map.of();
    }
    Map<String, String> m = new java.util.TreeMap<>();
    for (String kv : body.split(",")) {
      String[] p = kv.strip().split("=", 2);
      m.put(p[0], p[1]);
    }
    return m;
  }
}
