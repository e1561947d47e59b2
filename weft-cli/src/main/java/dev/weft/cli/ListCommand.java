package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft list}: past runs, newest first, like {@code argo list}. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Lists past runs of weft run, newest first, like argo list.")
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RunsOptions runs;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<String[]> rows = new ArrayList<>();
    Path root = runs.root();
    if (Files.isDirectory(root)) {
      List<JsonNode> statuses = new ArrayList<>();
      try (Stream<Path> dirs = Files.list(root)) {
        for (Path d : dirs.filter(Files::isDirectory).toList()) {
          try {
            statuses.add(new RunDirectory(d).status());
          } catch (IllegalArgumentException | IOException e) {
            rows.add(
                new String[] {
                  d.getFileName().toString(), "Running", "", "", "(no status yet)"
                }); // still running, or killed
          }
        }
      }
      statuses.sort(
          Comparator.comparing((JsonNode s) -> s.path("status").path("startedAt").asText(""))
              .reversed());
      Instant now = Instant.now();
      for (JsonNode s : statuses) {
        JsonNode st = s.path("status");
        Instant started = Instant.parse(st.path("startedAt").asText());
        Instant finished = Instant.parse(st.path("finishedAt").asText());
        rows.add(
            new String[] {
              s.path("metadata").path("name").asText(),
              st.path("phase").asText(),
              age(Duration.between(started, now)),
              WorkflowTree.format(Duration.between(started, finished)),
              st.path("message").asText("")
            });
      }
    }
    int w = 4;
    for (String[] r : rows) w = Math.max(w, r[0].length());
    out.println(
        String.format(
                "%-" + w + "s  %-9s  %-4s  %-8s  %s",
                "NAME",
                "STATUS",
                "AGE",
                "DURATION",
                "MESSAGE")
            .stripTrailing());
    for (String[] r : rows)
      out.println(
          String.format("%-" + w + "s  %-9s  %-4s  %-8s  %s", (Object[]) r).stripTrailing());
    out.flush();
    return 0;
  }

  /** Like argo list: 45s, 12m, 3h, 2d. */
  static String age(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) return s + "s";
    if (s < 3600) return s / 60 + "m";
    if (s < 86400) return s / 3600 + "h";
    return s / 86400 + "d";
  }
}
