package dev.weft.cli;

import dev.weft.engine.WorkflowLint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft lint}: the checks {@code weft run} makes before it starts, on any number of files,
 * like {@code argo lint}.
 */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = {
      "Checks Workflow and WorkflowTemplate files as weft run does before it starts: fields, references to steps, tasks and",
      "their outputs, module files, limits. Prints FILE:LINE: FIELD: PROBLEM for each problem.",
      "Exit status: 0 no problems, 1 problems found."
    })
final class LintCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "WORKFLOW",
      description = "Workflow or WorkflowTemplate YAML files.")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    int problems = 0;
    for (Path f : files) {
      List<String> lines = problems(f);
      lines.forEach(out::println);
      problems += lines.size();
    }
    out.println(
        problems == 0
            ? "no problems found"
            : problems + (problems == 1 ? " problem" : " problems") + " found");
    out.flush();
    return problems == 0 ? 0 : 1;
  }

  /**
   * Each problem of a file as one {@code FILE:LINE: FIELD: PROBLEM} line; a missing file is one
   * line too.
   */
  static List<String> problems(Path file) {
    if (!Files.exists(file)) return List.of(file + ": no such file");
    if (Files.isDirectory(file)) return List.of(file + ": is a directory, not a workflow file");
    List<String> lines = new ArrayList<>();
    for (WorkflowLint.Problem p : WorkflowLint.check(file)) {
      lines.add(
          file
              + (p.line() > 0 ? ":" + p.line() : "")
              + ": "
              + (p.field().equals("(document)") ? "" : p.field() + ": ")
              + p.message());
    }
    return lines;
  }
}
