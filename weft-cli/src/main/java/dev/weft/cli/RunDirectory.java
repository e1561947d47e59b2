package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One run's directory: {@code status.json} (Argo's shape, written when the run ends) and {@code
 * logs/NODE_ID.log}, each step's stdout then stderr as it ended.
 */
final class RunDirectory {
  final Path dir;

  RunDirectory(Path dir) {
    this.dir = dir;
  }

  /** Appends a step's output to its log; called from step threads, one file per node. */
  void appendLog(String nodeId, String stdout, String stderr) {
    if (stdout.isEmpty() && stderr.isEmpty()) return;
    try {
      Files.createDirectories(dir.resolve("logs"));
      String text = withNewline(stdout) + withNewline(stderr);
      Files.writeString(
          dir.resolve("logs").resolve(nodeId + ".log"),
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the step log in " + dir + ": " + e.getMessage(), e);
    }
  }

  void writeStatus(JsonNode status) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("status.json"),
        Jackson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(status));
  }

  JsonNode status() throws IOException {
    Path f = dir.resolve("status.json");
    if (!Files.isRegularFile(f))
      throw new IllegalArgumentException(
          "run "
              + dir.getFileName()
              + " has no status.json (still running, or stopped before its end)");
    return Jackson.MAPPER.readTree(f.toFile());
  }

  /**
   * The nodes that wrote something, in the order they started: display name, name, log text, id.
   */
  List<String[]> logs(JsonNode status) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (Iterator<JsonNode> it = status.path("status").path("nodes").elements(); it.hasNext(); )
      nodes.add(it.next());
    nodes.sort(java.util.Comparator.comparing(n -> n.path("startedAt").asText("")));
    List<String[]> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      Path log = dir.resolve("logs").resolve(n.path("id").asText() + ".log");
      if (Files.isRegularFile(log))
        out.add(
            new String[] {
              n.path("displayName").asText(),
              n.path("name").asText(),
              Files.readString(log),
              n.path("id").asText()
            });
    }
    return out;
  }

  static String withNewline(String s) {
    return s.isEmpty() || s.endsWith("\n") ? s : s + "\n";
  }
}
