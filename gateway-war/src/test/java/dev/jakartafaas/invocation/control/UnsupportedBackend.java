package dev.jakartafaas.invocation.control;

import dev.jakartafaas.backend.boundary.Backend;
import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.LogFollow;
import dev.jakartafaas.backend.entity.LogSink;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.secrets.entity.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A test backend that manages nothing: tests of the invocation path extend it and answer only the
 * calls that path makes.
 */
abstract class UnsupportedBackend implements Backend {

  @Override
  public String orchestration() {
    return "test";
  }

  @Override
  public FunctionState deploy(FunctionDeployment deployment, int replicas) {
    throw new UnsupportedOperationException();
  }

  @Override
  public FunctionState update(FunctionDeployment deployment) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void remove(String name) {
    throw new UnsupportedOperationException();
  }

  @Override
  public LogFollow followLogs(String name, int tail, Instant since, LogSink sink) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<FunctionProblem> problem(String name) {
    return Optional.empty();
  }

  @Override
  public List<String> secretNames() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void createSecret(Secret secret) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void updateSecret(Secret secret) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void removeSecret(String name) {
    throw new UnsupportedOperationException();
  }
}
