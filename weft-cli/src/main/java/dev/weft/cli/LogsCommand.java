package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft logs}: a past run's step output, like {@code argo logs}. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the stdout and stderr of a past run's steps, each line prefixed with the step's name, like argo logs.",
      "Exit status: 0, or 2 when the run or node does not exist."
    })
final class LogsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RunsOptions runs;

  @Parameters(
      index = "0",
      paramLabel = "RUN",
      description = "The run's name, as weft run and weft list show it.")
  String run;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "NODE",
      description = "Only this node: its name, display name or id.")
  String node;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = runs.root().resolve(run);
    if (run.contains("/") || !Files.isDirectory(dir)) {
      err.println(
          "weft logs: no run named '"
              + run
              + "' in "
              + runs.root()
              + " (weft list shows the runs kept there)");
      return Main.USAGE;
    }
    RunDirectory rd = new RunDirectory(dir);
    JsonNode status;
    try {
      status = rd.status();
    } catch (IllegalArgumentException e) {
      err.println("weft logs: " + e.getMessage());
      return Main.USAGE;
    }
    if (node != null && !hasNode(status, node)) {
      err.println("weft logs: run " + run + " has no node '" + node + "'");
      return Main.USAGE;
    }
    List<String[]> logs = rd.logs(status);
    for (String[] l : logs) {
      if (node != null && !node.equals(l[0]) && !node.equals(l[1]) && !node.equals(l[3])) continue;
      for (String line : l[2].split("\n", -1)) {
        if (!line.isEmpty()) out.println(l[0] + ": " + line);
      }
    }
    out.flush();
    return 0;
  }

  private static boolean hasNode(JsonNode status, String node) {
    for (JsonNode n : status.path("status").path("nodes")) {
      if (node.equals(n.path("id").asText())
          || node.equals(n.path("name").asText())
          || node.equals(n.path("displayName").asText())) return true;
    }
    return false;
  }
}
