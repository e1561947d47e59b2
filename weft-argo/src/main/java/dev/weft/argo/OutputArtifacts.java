package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.artifacts.Archives;
import dev.weft.artifacts.ArtifactStore;
import dev.weft.runtime.OutputArtifact;
import dev.weft.runtime.TaskResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

/** A step's output artifacts, packed as Argo packs them and stored under Argo's keys. */
final class OutputArtifacts {
  private final ArtifactSettings settings;
  private final ObjectMapper json = new ObjectMapper();

  OutputArtifacts(ArtifactSettings settings) {
    this.settings = settings;
  }

  /**
   * Packs and stores the task's output artifacts. Returns Argo's {@code outputs.artifacts}:
   * key-only {@code s3: {key}}, with {@code globalName} and {@code archive} echoed from the
   * template; empty when there are none, and empty too without a repository (the caller says so in
   * the message).
   */
  ArrayNode upload(
      TaskResult r,
      JsonNode template,
      JsonNode workflowMeta,
      Path scratch,
      StepArtifacts repository) {
    ArrayNode out = json.createArrayNode();
    for (JsonNode d : template.path("outputs").path("artifacts")) {
      String name = d.path("name").asText();
      boolean produced = r.outputArtifacts().stream().anyMatch(o -> o.name().equals(name));
      if (!produced && !d.path("optional").asBoolean(false)) {
        // Declared with a path, the runtime already failed the step; without one, only result.json
        // can supply it.
        throw new ArtifactFailure(
            "output artifact '"
                + name
                + "' is declared but the module did not report it in result.json");
      }
    }
    if (r.outputArtifacts().isEmpty()) return out;
    ArtifactScope scope = repository.get(); // opened only by a step that has outputs to store
    if (scope.store().isEmpty()) return out;
    ArtifactStore store = scope.store().get();
    String format = scope.keyFormat();
    String prefix = KeyFormat.expand(format, workflowMeta, template, ZonedDateTime.now());
    Map<String, JsonNode> declared = new HashMap<>();
    for (JsonNode d : template.path("outputs").path("artifacts"))
      declared.put(d.path("name").asText(), d);
    int i = 0;
    for (OutputArtifact o : r.outputArtifacts()) {
      String what = "output artifact '" + o.name() + "'";
      JsonNode d = declared.getOrDefault(o.name(), json.createObjectNode());
      ArtifactIO.checkSize(o.sizeBytes(), settings.maxArtifactBytes(), what, o.path());
      String path = d.hasNonNull("path") ? d.get("path").asText() : o.path();
      String base =
          Path.of(path.isEmpty() ? o.name() : path).getFileName() == null
              ? o.name()
              : Path.of(path).getFileName().toString();
      JsonNode archive = d.path("archive");
      try {
        Path dir = Files.createDirectories(scratch.resolve("out-" + i++));
        Path named = dir.resolve(base);
        Files.move(o.file(), named);
        Path file;
        String key;
        if (archive.has("none")) {
          file = named;
          key = prefix + "/" + base;
        } else if (archive.has("zip")) {
          file = dir.resolve(o.name() + ".zip");
          Archives.zip(named, file);
          key = prefix + "/" + o.name() + ".zip";
        } else {
          file = dir.resolve(o.name() + ".tgz");
          Archives.tgz(named, file);
          key = prefix + "/" + o.name() + ".tgz";
        }
        store.put(file, key);
        ObjectNode a = out.addObject().put("name", o.name());
        if (!path.isEmpty()) a.put("path", path);
        a.putObject("s3").put("key", key);
        if (d.hasNonNull("globalName")) a.put("globalName", d.get("globalName").asText());
        if (!archive.isMissingNode() && !archive.isNull()) a.set("archive", archive);
      } catch (IOException | UncheckedIOException e) {
        throw new ArtifactFailure(what + ": cannot store it: " + e.getMessage(), e);
      }
    }
    return out;
  }
}
