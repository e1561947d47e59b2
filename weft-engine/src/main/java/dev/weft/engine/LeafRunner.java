package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.artifacts.Archives;
import dev.weft.artifacts.ArtifactStore;
import dev.weft.engine.Model.Archive;
import dev.weft.engine.Model.Kind;
import dev.weft.engine.Model.Template;
import dev.weft.engine.TemplateExecutor.LeafCall;
import dev.weft.engine.TemplateExecutor.LeafResult;
import dev.weft.engine.TemplateExecutor.StagedArtifact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one leaf on a worker thread: stages its input artifacts from the store, calls the executor
 * for its kind, archives and stores its output artifacts under Argo's key layout ({@code
 * <workflow>/<node id>/<artifact>.tgz}), and cleans up.
 */
final class LeafRunner {
  /** What a leaf ended with. */
  record Outcome(NodePhase phase, String message, Node.Outputs outputs) {}

  private static final java.util.concurrent.atomic.AtomicLong SEQ =
      new java.util.concurrent.atomic.AtomicLong();
  private final Map<Kind, TemplateExecutor> executors;
  private final ArtifactStore store;
  private final Path scratchRoot;

  LeafRunner(Map<Kind, TemplateExecutor> executors, ArtifactStore store, Path scratchRoot) {
    this.executors = executors;
    this.store = store;
    this.scratchRoot = scratchRoot;
  }

  Outcome run(
      Execution ex, Node node, Template t, JsonNode body, Inputs in, Optional<Duration> deadline) {
    // made only if the step stages or exports files: most steps never touch the disk
    Path scratch = scratchRoot.resolve("n" + SEQ.incrementAndGet());
    try {
      List<StagedArtifact> staged = new ArrayList<>();
      for (ArtifactRef a : in.artifacts().values())
        staged.add(stage(a, scratch.resolve("in").resolve(safe(a.name()))));
      TemplateExecutor exec = executors.get(t.kind());
      if (exec == null)
        return new Outcome(
            NodePhase.Error, "no executor for " + t.kind() + " templates", Node.Outputs.NONE);
      LeafResult r =
          exec.execute(
              new LeafCall(
                  ex.name,
                  node.id(),
                  t,
                  body,
                  in.parameters(),
                  staged,
                  scratch,
                  ex.wf.baseDir(),
                  deadline));
      NodePhase phase = phase(r.phase());
      List<ArtifactRef> stored = new ArrayList<>();
      if (phase == NodePhase.Succeeded) {
        for (StagedArtifact a : r.outputArtifacts())
          stored.add(store(ex.name, node.id(), t, a, scratch));
        for (Model.Artifact declared : t.outputs().artifacts()) {
          boolean made = stored.stream().anyMatch(s -> s.name().equals(declared.name()));
          if (!made && !declared.optional()) {
            return new Outcome(
                NodePhase.Failed,
                "output artifact '"
                    + declared.name()
                    + "' was not produced"
                    + (declared.path().isEmpty()
                        ? " (the module did not report it and it has no path)"
                        : ""),
                Node.Outputs.NONE);
          }
        }
      }
      return new Outcome(
          phase,
          r.message(),
          new Node.Outputs(r.outputParameters(), r.result(), r.exitCode(), stored));
    } catch (IOException | RuntimeException e) {
      return new Outcome(
          NodePhase.Error, "weft could not run the step: " + e.getMessage(), Node.Outputs.NONE);
    } finally {
      if (Files.exists(scratch)) delete(scratch);
    }
  }

  /** An executor's phase, as Argo words it; anything but an end phase is weft's error. */
  private static NodePhase phase(String phase) {
    return switch (phase) {
      case "Succeeded" -> NodePhase.Succeeded;
      case "Failed" -> NodePhase.Failed;
      case "Error" -> NodePhase.Error;
      default ->
          throw new IllegalStateException(
              "the executor ended the step in phase '"
                  + phase
                  + "', not Succeeded, Failed or Error");
    };
  }

  private StagedArtifact stage(ArtifactRef a, Path target) throws IOException {
    String path = a.path().orElse("/" + a.name());
    Files.createDirectories(target.getParent());
    if (a.raw().isPresent()) {
      Files.writeString(target, a.raw().get(), StandardCharsets.UTF_8);
      return new StagedArtifact(a.name(), path, target);
    }
    String key =
        a.key()
            .orElseThrow(
                () -> new IOException("input artifact '" + a.name() + "' has no location"));
    if (a.archive() == Archive.NONE) {
      store.get(key, target);
      return new StagedArtifact(a.name(), path, target);
    }
    Path fetched = target.resolveSibling(target.getFileName() + ".fetched");
    store.get(key, fetched);
    Archives.unpack(fetched, target);
    Files.deleteIfExists(fetched);
    return new StagedArtifact(a.name(), path, target);
  }

  private ArtifactRef store(
      String workflow, String nodeId, Template t, StagedArtifact a, Path scratch)
      throws IOException {
    Model.Artifact declared =
        t.outputs().artifacts().stream()
            .filter(d -> d.name().equals(a.name()))
            .findFirst()
            .orElse(null);
    Archive archive = declared == null ? Archive.TGZ : declared.archive();
    Optional<String> path =
        declared != null && declared.path().isPresent() ? declared.path() : Optional.of(a.path());
    String prefix = workflow + "/" + nodeId + "/";
    String key;
    switch (archive) {
      case NONE -> {
        key = prefix + a.file().getFileName();
        store.put(a.file(), key);
      }
      case ZIP -> {
        Path z = Files.createDirectories(scratch).resolve(safe(a.name()) + ".zip");
        Archives.zip(a.file(), z);
        key = prefix + a.name() + ".zip";
        store.put(z, key);
      }
      default -> {
        Path z = Files.createDirectories(scratch).resolve(safe(a.name()) + ".tgz");
        Archives.tgz(a.file(), z);
        key = prefix + a.name() + ".tgz";
        store.put(z, key);
      }
    }
    return new ArtifactRef(a.name(), path, Optional.of(key), archive, Optional.empty());
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  static void delete(Path dir) {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      // best effort: scratch lives under the run's temporary directory
    }
  }
}
