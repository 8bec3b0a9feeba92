package dev.jakartafaas.functions.entity;

import java.util.List;
import java.util.Map;

/**
 * What a client asks to run (OpenFaaS's FunctionDeployment). Immutable; maps and lists are copies.
 *
 * @param service the function's name, a DNS-1123 label
 * @param image the container image (run by the swarm backend, recorded by the process backend)
 * @param envProcess the command the watchdog runs per request ({@code fprocess})
 */
public record FunctionDeployment(
    String service,
    String image,
    String envProcess,
    Map<String, String> envVars,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<String> secrets,
    List<String> constraints,
    Resources limits,
    Resources requests,
    boolean readOnlyRootFilesystem) {

  public FunctionDeployment {
    image = image == null ? "" : image;
    envProcess = envProcess == null ? "" : envProcess;
    envVars = Map.copyOf(envVars == null ? Map.of() : envVars);
    labels = Map.copyOf(labels == null ? Map.of() : labels);
    annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
    secrets = List.copyOf(secrets == null ? List.of() : secrets);
    constraints = List.copyOf(constraints == null ? List.of() : constraints);
  }

  /** A deployment with only a name and a command, as the tests and the samples often need. */
  public static FunctionDeployment of(String service, String envProcess) {
    return new FunctionDeployment(
        service, "", envProcess, null, null, null, null, null, null, null, false);
  }

  public FunctionDeployment withEnvVars(Map<String, String> vars) {
    return new FunctionDeployment(
        service,
        image,
        envProcess,
        vars,
        labels,
        annotations,
        secrets,
        constraints,
        limits,
        requests,
        readOnlyRootFilesystem);
  }

  public FunctionDeployment withLabels(Map<String, String> newLabels) {
    return new FunctionDeployment(
        service,
        image,
        envProcess,
        envVars,
        newLabels,
        annotations,
        secrets,
        constraints,
        limits,
        requests,
        readOnlyRootFilesystem);
  }
}
