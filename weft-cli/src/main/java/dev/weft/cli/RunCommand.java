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

/** {@code weft run}: an Argo Workflow on this machine, every {@code plugin: wasm:} step in-process. */
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

  @Parameters(index = "0", paramLabel = "WORKFLOW", description = "A Workflow or WorkflowTemplate YAML file.")
  Path file;

  @Option(names = {"-p", "--parameter"}, paramLabel = "NAME=VALUE", description = "A workflow argument, spec.arguments.parameters (repeatable).")
  List<String> parameters = new ArrayList<>();

  @Option(names = "--artifacts", paramLabel = "DIR", description = "Artifact store directory (default: a new temporary directory, printed).")
  Path artifacts;

  @picocli.CommandLine.Mixin ArtifactRepositoryOptions repository;

  @Option(names = "--parallelism", paramLabel = "N", description = "Steps running at once (default: cores × 4).")
  Integer parallelism;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml: print the final workflow in Argo's shape (argo get -o json|yaml); name: print only its name.")
  String output;

  @picocli.CommandLine.Mixin CacheOptions cache;
  @picocli.CommandLine.Mixin CapabilityOptions capabilities;

  @Option(names = "--no-cache", description = "Do not read or write compiled modules on disk.")
  boolean noCache;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean json = false;
    if (output != null) {
      if (!java.util.Set.of("json", "yaml", "name").contains(output)) {
        err.println("weft run: -o accepts json, yaml or name, got '" + output + "'" + (output.equals("wide") ? " (-o wide is not supported by weft run)" : ""));
        return Main.USAGE;
      }
      json = true;
    }
    Model.Workflow wf;
    Map<String, String> params = new LinkedHashMap<>();
    try {
      wf = WorkflowParser.parse(file);
      for (String p : parameters) {
        int eq = p.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("-p expects NAME=VALUE, got '" + p + "'");
        params.put(p.substring(0, eq), p.substring(eq + 1));
      }
      for (Model.Param p : wf.arguments().parameters()) {
        if (p.value().isEmpty() && p.defaultValue().isEmpty() && !params.containsKey(p.name())) {
          throw new IllegalArgumentException("workflow parameter '" + p.name() + "' has no value: give it with -p " + p.name() + "=VALUE");
        }
      }
      if (parallelism != null && parallelism < 1) throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
    } catch (InvalidWorkflowException e) {
      err.println("weft run: " + file + ": invalid workflow: " + e.getMessage());
      return Main.USAGE;
    } catch (IllegalArgumentException e) {
      err.println("weft run: " + e.getMessage());
      return Main.USAGE;
    }
    for (String w : wf.warnings()) err.println("weft run: warning: " + w);
    dev.weft.artifacts.ArtifactStore store;
    long cacheMax;
    dev.weft.argo.CapabilityCeiling ceiling;
    try {
      cacheMax = cache.maxBytes();
      ceiling = capabilities.ceiling();
      store = store();
    } catch (IllegalArgumentException | IOException e) {
      err.println("weft run: " + e.getMessage());
      return Main.USAGE;
    }
    if (!json) err.println("weft run: artifacts in " + store.describe());
    WeftRuntime.Builder rb = WeftRuntime.builder();
    if (!noCache) rb.compiledCodeDir(cache.root().resolve("code")).compiledCodeMaxBytes(cacheMax);
    WorkflowRunner.Builder b = WorkflowRunner.builder().runtime(rb.build()).artifacts(store).capabilities(ceiling);
    if (parallelism != null) b.parallelism(parallelism);
    try (WorkflowRunner runner = b.build()) {
      WorkflowRun run = runner.start(wf, params);
      WorkflowStatus s = json ? run.await() : watch(run, out);
      if (json) {
        switch (output) {
          case "name" -> out.println(s.name());
          case "yaml" -> out.print(new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).writeValueAsString(StatusJson.of(s)));
          default -> out.println(Jackson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(StatusJson.of(s)));
        }
      } else {
        summary(s, out);
      }
      return s.succeeded() ? 0 : 1;
    }
  }

  private dev.weft.artifacts.ArtifactStore store() throws IOException {
    java.util.Optional<dev.weft.artifacts.ArtifactRepository> repo = repository.repository(java.util.Optional.empty());
    if (repo.isEmpty()) {
      Path dir = artifacts != null ? Files.createDirectories(artifacts) : Files.createTempDirectory("weft-artifacts-");
      return new LocalDirectoryStore(dir);
    }
    if (artifacts != null) throw new IllegalArgumentException("give either --artifacts or --artifact-repository, not both");
    return new dev.weft.artifacts.SecretFiles(repository.secretsDir()).storeFor(repo.get(), System.getenv());
  }

  /** On a terminal, redraws the tree like argo watch; otherwise prints a line per finished node. */
  private WorkflowStatus watch(WorkflowRun run, PrintWriter out) throws InterruptedException {
    boolean tty = System.console() != null;
    int drawn = 0;
    Map<String, String> reported = new HashMap<>();
    while (true) {
      WorkflowStatus s = null;
      try {
        s = run.done().get(tty ? 200 : 100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // still running: draw progress
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("workflow failed inside weft: " + e.getCause(), e.getCause());
      }
      List<Node> nodes = s != null ? s.nodes() : run.nodes();
      if (tty) {
        if (drawn > 0) out.print("\033[" + drawn + "A\033[J");
        List<String> lines = new ArrayList<>();
        lines.add("Name:     " + run.name());
        lines.add("Status:   " + (s != null ? s.phase() : "Running"));
        lines.addAll(WorkflowTree.lines(nodes, 40));
        lines.forEach(out::println);
        out.flush();
        drawn = lines.size();
      } else {
        List<Node> fresh = new ArrayList<>();
        for (Node n : nodes) if (n.fulfilled() && n.type() != NodeType.StepGroup && reported.put(n.id(), n.phase().name()) == null) fresh.add(n);
        fresh.sort(java.util.Comparator.comparing(n -> n.finishedAt().orElse(java.time.Instant.MAX)));
        for (Node n : fresh) {
          out.println(WorkflowTree.glyph(n.phase()) + " " + n.name() + " (" + n.type() + ") " + n.phase() + " " + WorkflowTree.duration(n)
              + (n.message().isEmpty() ? "" : ": " + n.message()));
        }
        out.flush();
      }
      if (s != null) {
        if (tty) {
          out.print("\033[" + drawn + "A\033[J");
          out.flush();
        }
        return s;
      }
    }
  }

  private static void summary(WorkflowStatus s, PrintWriter out) {
    out.println();
    out.println("Name:       " + s.name());
    out.println("Status:     " + s.phase());
    if (!s.message().isEmpty()) out.println("Message:    " + s.message());
    out.println("Duration:   " + WorkflowTree.format(Duration.between(s.startedAt(), s.finishedAt())));
    Node root = s.root();
    if (!root.outputs().parameters().isEmpty() || root.outputs().result().isPresent() || !root.outputs().artifacts().isEmpty()) {
      out.println("Outputs:");
      root.outputs().parameters().forEach((k, v) -> out.println("  " + k + ": " + v));
      root.outputs().result().ifPresent(r -> out.println("  result: " + r));
      root.outputs().artifacts().forEach(a -> out.println("  artifact " + a.name() + ": " + a.key().orElse("(raw)")));
    }
    if (!s.outputParameters().isEmpty()) {
      out.println("Global outputs:");
      s.outputParameters().forEach((k, v) -> out.println("  " + k + ": " + v));
    }
    out.println();
    WorkflowTree.lines(s.nodes(), 200).forEach(out::println);
  }
}
