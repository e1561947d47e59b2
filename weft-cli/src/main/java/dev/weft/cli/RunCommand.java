package dev.weft.cli;

import dev.weft.artifacts.LocalDirectoryStore;
import dev.weft.engine.InvalidWorkflowException;
import dev.weft.engine.Model;
import dev.weft.engine.Node;
import dev.weft.engine.NodeType;
import dev.weft.engine.StatusJson;
import dev.weft.engine.WorkflowParser;
import dev.weft.engine.WorkflowRun;
import dev.weft.engine.WorkflowRunner;
import dev.weft.engine.WorkflowStatus;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft run}: an Argo Workflow on this machine, every {@code plugin: wasm:} step in-process.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs an Argo Workflow (or WorkflowTemplate) YAML file on this machine; wasm steps run in-process.",
      "Exit status: 0 Succeeded, 1 Failed or Error, 2 invalid workflow or usage error."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "WORKFLOW",
      description = "A Workflow or WorkflowTemplate YAML file.")
  Path file;

  @Option(
      names = {"-p", "--parameter"},
      paramLabel = "NAME=VALUE",
      description = "A workflow argument, spec.arguments.parameters (repeatable).")
  List<String> parameters = new ArrayList<>();

  @Option(
      names = "--artifacts",
      paramLabel = "DIR",
      description = "Artifact store directory (default: a new temporary directory, printed).")
  Path artifacts;

  @picocli.CommandLine.Mixin ArtifactRepositoryOptions repository;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "Steps running at once (default: cores × 4).")
  Integer parallelism;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description =
          "json or yaml: print the final workflow in Argo's shape (argo get -o json|yaml); name: print only its name.")
  String output;

  @picocli.CommandLine.Mixin CacheOptions cache;
  @picocli.CommandLine.Mixin RegistryOptions registry;
  @picocli.CommandLine.Mixin CapabilityOptions capabilities;

  @Option(
      names = "--no-cache",
      description = "Do not read or write compiled or pulled modules on disk.")
  boolean noCache;

  @Option(
      names = "--logs",
      description =
          "Print each step's stdout and stderr as it ends, every line prefixed with the step's name (like argo logs -f).")
  boolean logs;

  @picocli.CommandLine.Mixin RunsOptions runs;

  /**
   * Step output not yet printed by --logs: node id, stdout, stderr; filled on step threads, drained
   * on this one.
   */
  private final java.util.concurrent.ConcurrentLinkedQueue<String[]> pendingLogs =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean json = false;
    if (output != null) {
      if (!java.util.Set.of("json", "yaml", "name").contains(output)) {
        err.println(
            "weft run: -o accepts json, yaml or name, got '"
                + output
                + "'"
                + (output.equals("wide") ? " (-o wide is not supported by weft run)" : ""));
        return Main.USAGE;
      }
      json = true;
    }
    // the checks weft lint makes, before anything runs: a file that is missing, no YAML, or invalid
    // is one line per problem
    List<String> problems = LintCommand.problems(file);
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("weft run: " + p));
      return Main.USAGE;
    }
    Model.Workflow wf;
    Map<String, String> params = new LinkedHashMap<>();
    try {
      wf = WorkflowParser.parse(file);
      List<String> declared = wf.arguments().parameters().stream().map(Model.Param::name).toList();
      for (String p : parameters) {
        int eq = p.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("-p expects NAME=VALUE, got '" + p + "'");
        String name = p.substring(0, eq);
        if (!declared.contains(name)) {
          throw new IllegalArgumentException(
              "-p "
                  + name
                  + ": the workflow declares no parameter '"
                  + name
                  + "' in spec.arguments.parameters"
                  + (declared.isEmpty()
                      ? ""
                      : " (it declares: " + String.join(", ", declared) + ")"));
        }
        params.put(name, p.substring(eq + 1));
      }
      for (Model.Param p : wf.arguments().parameters()) {
        if (p.value().isEmpty() && p.defaultValue().isEmpty() && !params.containsKey(p.name())) {
          throw new IllegalArgumentException(
              "workflow parameter '"
                  + p.name()
                  + "' has no value: give it with -p "
                  + p.name()
                  + "=VALUE");
        }
      }
      if (parallelism != null && parallelism < 1)
        throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
    } catch (InvalidWorkflowException e) {
      err.println("weft run: " + file + ": " + e.getMessage());
      return Main.USAGE;
    } catch (IllegalArgumentException e) {
      err.println("weft run: " + e.getMessage());
      return Main.USAGE;
    }
    for (String w : wf.warnings()) err.println("weft run: warning: " + w);
    dev.weft.artifacts.ArtifactStore store;
    long cacheMax;
    dev.weft.argo.CapabilityCeiling ceiling;
    dev.weft.argo.RegistrySettings registries;
    try {
      cacheMax = cache.maxBytes();
      ceiling = capabilities.ceiling();
      registries = registry.settings(Duration.ofMinutes(5));
      store = store();
    } catch (IllegalArgumentException | IOException e) {
      err.println("weft run: " + e.getMessage());
      return Main.USAGE;
    }
    if (!json) err.println("weft run: artifacts in " + store.describe());
    WeftRuntime.Builder rb = WeftRuntime.builder();
    if (!noCache) rb.compiledCodeDir(cache.root().resolve("code")).compiledCodeMaxBytes(cacheMax);
    WorkflowRunner.Builder b =
        WorkflowRunner.builder()
            .runtime(rb.build())
            .artifacts(store)
            .capabilities(ceiling)
            .registries(registries);
    if (!noCache)
      b.moduleCache(cache.root(), cacheMax); // pulled modules as weft exec and pull keep them
    if (parallelism != null) b.parallelism(parallelism);
    Path runsRoot = runs.root();
    b.stepLogs(
        (workflow, nodeId, stdout, stderr) -> {
          try {
            new RunDirectory(runsRoot.resolve(workflow)).appendLog(nodeId, stdout, stderr);
          } catch (java.io.UncheckedIOException e) {
            err.println("weft run: warning: " + e.getMessage());
          }
          if (logs) pendingLogs.add(new String[] {nodeId, stdout, stderr});
        });
    try (WorkflowRunner runner = b.build()) {
      WorkflowRun run = runner.start(wf, params);
      WorkflowStatus s = watch(run, json ? err : out, !json);
      com.fasterxml.jackson.databind.node.ObjectNode status = StatusJson.of(s);
      boolean kept = keep(new RunDirectory(runsRoot.resolve(s.name())), status, err);
      if (json) {
        switch (output) {
          case "name" -> out.println(s.name());
          case "yaml" ->
              out.print(
                  new com.fasterxml.jackson.databind.ObjectMapper(
                          new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                      .writeValueAsString(status));
          default ->
              out.println(
                  Jackson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(status));
        }
      } else {
        summary(
            s,
            out,
            kept,
            effective(wf, params),
            System.console() != null ? Terminal.size().columns() - 1 : Integer.MAX_VALUE);
      }
      return s.succeeded() ? 0 : 1;
    }
  }

  private dev.weft.artifacts.ArtifactStore store() throws IOException {
    java.util.Optional<dev.weft.artifacts.ArtifactRepository> repo =
        repository.repository(java.util.Optional.empty());
    if (repo.isEmpty()) {
      Path dir =
          artifacts != null
              ? Files.createDirectories(artifacts)
              : Files.createTempDirectory("weft-artifacts-");
      return new LocalDirectoryStore(dir);
    }
    if (artifacts != null)
      throw new IllegalArgumentException(
          "give either --artifacts or --artifact-repository, not both");
    return new dev.weft.artifacts.SecretFiles(repository.secretsDir())
        .storeFor(repo.get(), System.getenv());
  }

  private static boolean keep(
      RunDirectory rd, com.fasterxml.jackson.databind.JsonNode status, PrintWriter err) {
    try {
      rd.writeStatus(status);
      return true;
    } catch (IOException e) {
      err.println(
          "weft run: warning: cannot keep the run's status in " + rd.dir + ": " + e.getMessage());
      return false;
    }
  }

  /**
   * Prints the step output --logs has collected since the last call, each line prefixed with its
   * node's name.
   */
  private void drainLogs(WorkflowRun run, PrintWriter out) {
    if (pendingLogs.isEmpty()) return;
    Map<String, String> names = new HashMap<>();
    for (Node n : run.nodes()) names.put(n.id(), n.displayName());
    for (String[] l; (l = pendingLogs.poll()) != null; ) {
      String name = names.getOrDefault(l[0], l[0]);
      for (String text : new String[] {l[1], l[2]}) {
        for (String line : text.split("\n")) if (!line.isEmpty()) out.println(name + ": " + line);
      }
    }
    out.flush();
  }

  /**
   * On a terminal, redraws the tree like argo watch; otherwise (or with --logs) prints a line per
   * finished node; with {@code progress} false, prints only --logs output.
   */
  private WorkflowStatus watch(WorkflowRun run, PrintWriter out, boolean progress)
      throws InterruptedException {
    if (!progress && !logs) return run.await();
    boolean tty = progress && !logs && System.console() != null;
    List<String> drawn = List.of();
    Map<String, String> reported = new HashMap<>();
    while (true) {
      WorkflowStatus s = null;
      try {
        s = run.done().get(tty ? 200 : 100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // still running: draw progress
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(
            "workflow failed inside weft: " + e.getCause(), e.getCause());
      }
      List<Node> nodes = s != null ? s.nodes() : run.nodes();
      drainLogs(run, out);
      if (!progress) {
        if (s != null) return s;
        continue;
      }
      if (tty) {
        // asked at every redraw: after a resize, the old frame's rows are counted at the new width
        Terminal term = Terminal.size();
        erase(drawn, term, out);
        if (s != null) return s;
        List<String> lines = new ArrayList<>();
        lines.add("Name:     " + run.name());
        lines.add("Status:   Running");
        lines.addAll(WorkflowTree.lines(nodes, Math.max(1, term.rows() - 5)));
        // one column short of the width: a line that fills the last column wraps on some terminals
        lines.replaceAll(l -> WorkflowTree.fit(l, term.columns() - 1));
        lines.forEach(out::println);
        out.flush();
        drawn = lines;
      } else {
        List<Node> fresh = new ArrayList<>();
        for (Node n : nodes)
          if (n.fulfilled()
              && n.type() != NodeType.StepGroup
              && reported.put(n.id(), n.phase().name()) == null) fresh.add(n);
        fresh.sort(
            java.util.Comparator.comparing(n -> n.finishedAt().orElse(java.time.Instant.MAX)));
        for (Node n : fresh) {
          out.println(
              WorkflowTree.glyph(n.phase())
                  + " "
                  + n.name()
                  + " ("
                  + n.type()
                  + ") "
                  + n.phase()
                  + " "
                  + WorkflowTree.duration(n)
                  + (n.message().isEmpty() ? "" : ": " + n.message()));
        }
        out.flush();
        if (s != null) return s;
      }
    }
  }

  /** Moves up over the last frame and clears from there to the end of the screen. */
  private static void erase(List<String> drawn, Terminal term, PrintWriter out) {
    if (drawn.isEmpty()) return;
    out.print("\033[" + term.rowsTaken(drawn) + "A\r\033[J");
    out.flush();
  }

  /** The workflow's arguments as the run used them: -p, else the declared value or default. */
  private static Map<String, String> effective(Model.Workflow wf, Map<String, String> given) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Model.Param p : wf.arguments().parameters())
      m.put(p.name(), given.getOrDefault(p.name(), p.value().or(p::defaultValue).orElse("")));
    return m;
  }

  private static void summary(
      WorkflowStatus s, PrintWriter out, boolean kept, Map<String, String> parameters, int width) {
    out.println();
    out.println("Name:       " + s.name());
    out.println("Status:     " + s.phase());
    if (!s.message().isEmpty()) out.println("Message:    " + s.message());
    out.println(
        "Duration:   " + WorkflowTree.format(Duration.between(s.startedAt(), s.finishedAt())));
    if (kept) out.println("Logs:       weft logs " + s.name());
    if (!parameters.isEmpty()) {
      out.println("Parameters:");
      parameters.forEach((k, v) -> out.println(WorkflowTree.fit("  " + k + ": " + v, width)));
    }
    Node root = s.root();
    if (!root.outputs().parameters().isEmpty()
        || root.outputs().result().isPresent()
        || !root.outputs().artifacts().isEmpty()) {
      out.println("Outputs:");
      root.outputs().parameters().forEach((k, v) -> out.println("  " + k + ": " + v));
      root.outputs().result().ifPresent(r -> out.println("  result: " + r));
      root.outputs()
          .artifacts()
          .forEach(a -> out.println("  artifact " + a.name() + ": " + a.key().orElse("(raw)")));
    }
    if (!s.outputParameters().isEmpty()) {
      out.println("Global outputs:");
      s.outputParameters().forEach((k, v) -> out.println("  " + k + ": " + v));
    }
    out.println();
    WorkflowTree.lines(s.nodes(), 200).forEach(l -> out.println(WorkflowTree.fit(l, width)));
  }
}
