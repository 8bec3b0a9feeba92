package dev.jakartafaas.backend.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jakartafaas.backend.entity.FunctionProblem;
import dev.jakartafaas.backend.entity.LogLine;
import dev.jakartafaas.backend.entity.ReplicaAddress;
import dev.jakartafaas.functions.entity.FunctionDeployment;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.problems.entity.SecretsNotManagedException;
import dev.jakartafaas.secrets.entity.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BackendTest {

  /** A backend written before secrets existed: it implements none of their operations. */
  private static final Backend WITHOUT_SECRETS =
      new Backend() {
        @Override
        public String orchestration() {
          return "elsewhere";
        }

        @Override
        public FunctionState deploy(FunctionDeployment deployment) {
          throw new UnsupportedOperationException();
        }

        @Override
        public FunctionState update(FunctionDeployment deployment) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void remove(String name) {}

        @Override
        public List<FunctionState> list() {
          return List.of();
        }

        @Override
        public Optional<FunctionState> find(String name) {
          return Optional.empty();
        }

        @Override
        public void scale(String name, int replicas) {}

        @Override
        public Optional<List<ReplicaAddress>> readyReplicas(String name) {
          return Optional.empty();
        }

        @Override
        public Optional<FunctionProblem> problem(String name) {
          return Optional.empty();
        }

        @Override
        public List<LogLine> logs(String name, int tail, Instant since) {
          return List.of();
        }
      };

  @Test
  void aBackendThatDoesNotManageSecretsAnswers501ForEachOperation() {
    Secret s = new Secret("db", new byte[] {1});
    for (Executable operation :
        List.<Executable>of(
            WITHOUT_SECRETS::secretNames,
            () -> WITHOUT_SECRETS.createSecret(s),
            () -> WITHOUT_SECRETS.updateSecret(s),
            () -> WITHOUT_SECRETS.removeSecret("db"))) {
      SecretsNotManagedException e = assertThrows(SecretsNotManagedException.class, operation);
      assertEquals(501, e.status());
      assertEquals("the elsewhere backend does not manage secrets", e.getMessage());
    }
  }
}
