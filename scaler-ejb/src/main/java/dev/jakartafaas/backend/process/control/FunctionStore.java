package dev.jakartafaas.backend.process.control;

import dev.jakartafaas.functions.control.FunctionJson;
import dev.jakartafaas.functions.control.FunctionNames;
import dev.jakartafaas.functions.entity.FunctionState;
import dev.jakartafaas.problems.entity.BackendUnavailableException;
import dev.jakartafaas.problems.entity.FaasException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps each deployed function as {@code <data-dir>/functions/<name>.json}, written atomically, so
 * that functions come back after a restart.
 */
public final class FunctionStore {

  private static final Logger LOG = Logger.getLogger(FunctionStore.class.getName());

  private final Path dir;

  public FunctionStore(Path dataDir) {
    this.dir = dataDir.resolve("functions");
  }

  public void save(FunctionState state) {
    String text =
        FunctionJson.stored(state.deployment(), state.replicas(), state.createdAt()) + "\n";
    try {
      Files.createDirectories(dir);
      Path target = dir.resolve(state.name() + ".json");
      Path tmp = dir.resolve(state.name() + ".json.tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "cannot store function " + state.name() + " in " + dir + ": " + e.getMessage());
    }
  }

  public void delete(String name) {
    try {
      Files.deleteIfExists(dir.resolve(name + ".json"));
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "cannot delete function " + name + " from " + dir + ": " + e.getMessage());
    }
  }

  /** Every stored function; unreadable files are logged and skipped. */
  public List<FunctionState> loadAll() {
    List<FunctionState> states = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return states;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path file : files) {
        try {
          FunctionState s = FunctionJson.fromStored(Files.readString(file, StandardCharsets.UTF_8));
          String expected = file.getFileName().toString().replaceFirst("\\.json$", "");
          if (!s.name().equals(expected) || !FunctionNames.isValid(s.name())) {
            LOG.warning(() -> "skipping " + file + ": it holds function " + s.name());
            continue;
          }
          states.add(s);
        } catch (IOException | FaasException e) {
          LOG.log(
              Level.WARNING, "skipping unreadable function file " + file + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot list " + dir + ": " + e.getMessage());
    }
    return states;
  }
}
