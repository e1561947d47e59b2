package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.runtime.Engine;
import dev.weft.runtime.Limits;
import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.OutputParameterSpec;
import dev.weft.runtime.Parameter;
import dev.weft.runtime.PreopenOrder;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftException;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft exec}: run one module as one task and print its outputs. */
@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a WASI module as one workflow task. The module's stdout goes to stdout and its stderr to stderr;",
      "weft's summary (phase, message, output parameters and artifacts) follows on stderr.",
      "Exit status: 0 Succeeded, 1 Failed or Error, 2 usage error or module that cannot be loaded."
    })
final class ExecCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @picocli.CommandLine.Mixin RegistryOptions registry;

  @Parameters(
      index = "0",
      paramLabel = "MODULE",
      description =
          "A .wasm file, an http(s) URL, or an OCI reference (registry/repo:tag or @sha256:…).")
  String module;

  @Parameters(
      index = "1..*",
      paramLabel = "ARG",
      description = "Arguments passed to the module (after MODULE, or after --).")
  List<String> args = new ArrayList<>();

  @Option(
      names = {"-p", "--parameter"},
      paramLabel = "NAME=VALUE",
      description = "An input parameter (repeatable).")
  List<String> parameters = new ArrayList<>();

  @Option(
      names = "--option",
      paramLabel = "NAME=VALUE",
      description =
          "A plugin option; VALUE is parsed as JSON when it is valid JSON, else taken as a string.")
  List<String> options = new ArrayList<>();

  @Option(
      names = "--input-file",
      paramLabel = "FILE",
      description =
          "An input.json (workflow_name, parameters, plugin_options); -p and --option add to it.")
  Path inputFile;

  @Option(
      names = "--artifact",
      paramLabel = "NAME=HOST_PATH[:PATH]",
      description =
          "An input artifact from a host file or directory, seen at /work/artifacts-in/PATH (default PATH: NAME).")
  List<String> artifacts = new ArrayList<>();

  @Option(
      names = "--output-param",
      paramLabel = "NAME=GUEST_PATH",
      description = "Declare an output parameter read from a guest file after the run.")
  List<String> outputParams = new ArrayList<>();

  @Option(
      names = "--output-artifact",
      paramLabel = "NAME=GUEST_PATH",
      description = "Declare an output artifact read from a guest path after the run.")
  List<String> outputArtifacts = new ArrayList<>();

  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      description = "Where output artifacts are written (default: a new temporary directory).")
  Path outputDir;

  @Option(
      names = "--dir",
      paramLabel = "HOST:GUEST",
      description =
          "Give the module a host directory at an absolute guest path (trusted local use only).")
  List<String> dirs = new ArrayList<>();

  @Option(
      names = "--env",
      paramLabel = "KEY=VALUE",
      description = "An environment variable for the module (none by default).")
  List<String> env = new ArrayList<>();

  @Option(
      names = "--stdin",
      paramLabel = "FILE",
      description = "Feed this file to the module's stdin (empty by default).")
  Path stdin;

  @Option(
      names = "--workflow-name",
      paramLabel = "NAME",
      description = "workflow_name in input.json (default: exec).")
  String workflowName = "exec";

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "Wall-clock limit, e.g. 5s, 1m30s (default 60s).")
  String timeout;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      description = "Linear memory limit, e.g. 64MiB (default 256MiB).")
  String memory;

  @Option(
      names = "--sha256",
      paramLabel = "HEX",
      description = "Required SHA-256 of the module (verified before it runs).")
  String sha256;

  @Option(
      names = "--interpreter",
      description =
          "Run in Chicory's interpreter instead of compiling to JVM bytecode (same as --engine interpreter).")
  boolean interpreter;

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      description =
          "auto (default: the compiler when the module's compiled code is in the disk cache, else the interpreter), interpreter, compiler or tiered (docs/benchmarks.md §9).")
  String engine = "auto";

  @Option(
      names = "--dirs-first",
      description =
          "Give the --dir directories the first WASI preopens (fd 3, 4, ...), as wasmtime does; /work and /tmp follow.")
  boolean dirsFirst;

  @picocli.CommandLine.Mixin CacheOptions cache;

  @Option(names = "--no-cache", description = "Do not read or write compiled modules on disk.")
  boolean noCache;

  @Option(
      names = "--json",
      description =
          "Print the whole result as JSON on stdout (phase, outputs, the module's stdout and stderr, timings) instead of the module's output and a summary.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    StartupTrace.mark("parsed");
    PrintWriter err = spec.commandLine().getErr();
    TaskSpec task;
    ModuleSource source;
    long cacheMax;
    try {
      task = taskSpec();
      cacheMax = cache.maxBytes();
      source = moduleSource();
    } catch (IllegalArgumentException | WeftException e) {
      err.println("weft exec: " + TerminalText.line(String.valueOf(e.getMessage())));
      return Main.USAGE;
    }
    Engine chosen;
    switch (interpreter ? "interpreter" : engine) {
      // auto: for one cold process, compiling first or in the background (tiered) cost more than
      // the interpreter saved, unless the compiled code is already on disk (docs/benchmarks.md §9)
      case "auto" -> chosen = !noCache && cachedCode(source) ? Engine.COMPILER : Engine.INTERPRETER;
      case "tiered" -> chosen = Engine.TIERED;
      case "compiler" -> chosen = Engine.COMPILER;
      case "interpreter" -> chosen = Engine.INTERPRETER;
      default -> {
        err.println(
            "weft exec: --engine must be auto, interpreter, compiler or tiered, not '"
                + engine
                + "'");
        return Main.USAGE;
      }
    }
    StartupTrace.mark("engine");
    WeftRuntime.Builder rb = WeftRuntime.builder().engine(chosen);
    if (dirsFirst) rb.preopenOrder(PreopenOrder.MOUNTS_FIRST);
    if (!noCache) rb.compiledCodeDir(cache.root().resolve("code")).compiledCodeMaxBytes(cacheMax);
    WeftRuntime weft = rb.build();
    StartupTrace.mark("runtime");
    LoadedModule loaded;
    try {
      loaded = weft.load(source);
    } catch (WeftException e) {
      err.println("weft exec: " + TerminalText.line(String.valueOf(e.getMessage())));
      return Main.USAGE;
    } catch (
        OutOfMemoryError e) { // only without -XX:+ExitOnOutOfMemoryError (the launcher sets it)
      err.println(
          "weft exec: the JVM ran out of memory loading the module; give it more heap (WEFT_JAVA_OPTS=-Xmx...)");
      return Main.USAGE;
    }
    StartupTrace.mark("loaded");
    TaskResult r = weft.run(loaded, task);
    StartupTrace.mark("ran");
    new ResultPrinter(spec.commandLine().getOut(), err).print(r, loaded, json);
    StartupTrace.mark("printed");
    StartupTrace.print(err, loaded, r);
    return r.succeeded() ? 0 : 1;
  }

  private boolean cachedCode(ModuleSource source) {
    if (module.startsWith("http://") || module.startsWith("https://"))
      return false; // never download twice
    try {
      return dev.weft.runtime.WeftRuntime.compiledCodeCached(
          cache.root().resolve("code"), source.read(Long.MAX_VALUE));
    } catch (WeftException e) {
      return false; // the load below reports the problem
    }
  }

  private ModuleSource moduleSource() {
    if (module.startsWith("http://") || module.startsWith("https://")) {
      return ModuleSource.url(URI.create(module), Optional.ofNullable(sha256));
    }
    Optional<dev.weft.oci.ImageRef> ref = RegistryOptions.asReference(module);
    if (ref.isPresent()) {
      byte[] bytes =
          noCache // --no-cache: straight from the registry, nothing written to disk
              ? registry.client().pull(ref.get()).module()
              : registry.store(cache.root(), cache.maxBytes(), null).module(ref.get());
      return ModuleSource.bytes(ref.get().toString(), bytes);
    }
    ModuleSource file = ModuleSource.file(Path.of(module));
    if (sha256 == null) return file;
    String pinned = sha256.startsWith("sha256:") ? sha256 : "sha256:" + sha256;
    return new ModuleSource() {
      @Override
      public String name() {
        return file.name();
      }

      @Override
      public byte[] read(long maxBytes) {
        return file.read(maxBytes);
      }

      @Override
      public Optional<String> expectedDigest() {
        return Optional.of(pinned.toLowerCase(java.util.Locale.ROOT));
      }
    };
  }

  private TaskSpec taskSpec() throws IOException {
    TaskSpec.Builder b = TaskSpec.builder().workflowName(workflowName).args(args);
    if (inputFile != null) readInputFile(b);
    for (String p : parameters) {
      String[] kv = pair("--parameter", p);
      b.parameter(kv[0], kv[1]);
    }
    for (String o : options) {
      String[] kv = pair("--option", o);
      b.pluginOption(kv[0], jsonOrString(kv[1]));
    }
    for (String a : artifacts) {
      String[] kv = pair("--artifact", a);
      String host = kv[1];
      String path = "/" + kv[0];
      int colon = host.lastIndexOf(':');
      if (colon > 0) {
        path = host.substring(colon + 1);
        host = host.substring(0, colon);
      }
      Path src = Path.of(host);
      if (!Files.exists(src))
        throw new IllegalArgumentException("--artifact " + kv[0] + ": " + host + " does not exist");
      b.inputArtifact(kv[0], path, src);
    }
    for (String o : outputParams) {
      String[] kv = pair("--output-param", o);
      b.outputParameter(OutputParameterSpec.fromPath(kv[0], kv[1]));
    }
    for (String o : outputArtifacts) {
      String[] kv = pair("--output-artifact", o);
      b.outputArtifact(kv[0], kv[1]);
    }
    for (String d : dirs) {
      int colon = d.indexOf(':');
      if (colon <= 0 || colon == d.length() - 1)
        throw new IllegalArgumentException("--dir expects HOST:GUEST, got '" + d + "'");
      b.mount(Path.of(d.substring(0, colon)).toAbsolutePath(), d.substring(colon + 1));
    }
    for (String e : env) {
      String[] kv = pair("--env", e);
      b.env(kv[0], kv[1]);
    }
    if (stdin != null) b.stdin(Files.readAllBytes(stdin));
    if (outputDir != null) b.outputDir(outputDir);
    Limits limits = Limits.defaults();
    if (timeout != null) limits = limits.withTimeout(Limits.parseDuration("--timeout", timeout));
    if (memory != null) limits = limits.withMemoryBytes(Limits.parseBytes("--memory", memory));
    return b.limits(limits).build();
  }

  private void readInputFile(TaskSpec.Builder b) throws IOException {
    JsonNode root;
    try {
      root = Jackson.MAPPER.readTree(inputFile.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("--input-file " + inputFile + ": " + e.getMessage());
    }
    if (root == null || !root.isObject())
      throw new IllegalArgumentException("--input-file " + inputFile + ": not a JSON object");
    if (root.hasNonNull("workflow_name")) b.workflowName(root.get("workflow_name").asText());
    b.parameters(namedValues(root, "parameters"));
    b.pluginOptions(namedValues(root, "plugin_options"));
  }

  private List<Parameter> namedValues(JsonNode root, String field) {
    List<Parameter> list = new ArrayList<>();
    JsonNode arr = root.get(field);
    if (arr == null || arr.isNull()) return list;
    if (!arr.isArray())
      throw new IllegalArgumentException(
          "--input-file " + inputFile + ": '" + field + "' must be an array");
    for (JsonNode n : arr) {
      if (!n.hasNonNull("name"))
        throw new IllegalArgumentException(
            "--input-file " + inputFile + ": every entry of '" + field + "' needs a 'name'");
      list.add(
          new Parameter(
              n.get("name").asText(), Jackson.MAPPER.convertValue(n.get("value"), Object.class)));
    }
    return list;
  }

  private static Object jsonOrString(String text) {
    try {
      return Jackson.MAPPER.readValue(text, Object.class);
    } catch (IOException e) {
      return text;
    }
  }

  private static String[] pair(String option, String text) {
    int eq = text.indexOf('=');
    if (eq <= 0)
      throw new IllegalArgumentException(option + " expects NAME=VALUE, got '" + text + "'");
    return new String[] {text.substring(0, eq), text.substring(eq + 1)};
  }
}
