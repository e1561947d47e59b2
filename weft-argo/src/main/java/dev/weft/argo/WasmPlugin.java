package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.weft.oci.Credentials;
import dev.weft.oci.ModuleStore;
import dev.weft.oci.RegistryClient;
import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftException;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Argo's {@code plugin: wasm:} steps on a weft runtime: parse the block, map the template to a
 * task, resolve its module, stage its artifacts, run it, store its outputs and answer Argo's node
 * result. The one copy of this mapping: {@code weft serve} (executor plugin), {@code weft agent}
 * (WorkflowTaskSets) and {@code weft run} (local engine, through the typed calls) all use it.
 * Thread-safe; close it to release the artifact repository and scratch space.
 */
public final class WasmPlugin implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WasmPlugin.class);

  private final WeftRuntime runtime;
  private final boolean ownsRuntime;
  private final StepSettings settings;
  private final WasmStepParser parser = new WasmStepParser();
  private final TemplateMapper mapper;
  private final ArtifactIO artifacts;
  private final ArtifactScopes repositories;
  private final ModuleResolver modules;
  private final ModuleStore registryModules;

  /**
   * Scratch space for raw input artifacts and module-written outputs, in memory: an agent pod's
   * root file system is read-only (argo-plugin/plugin.yaml), and most steps never write a file.
   */
  private final FileSystem scratchFs = Jimfs.newFileSystem(Configuration.unix());

  private final AtomicLong steps = new AtomicLong();

  private WasmPlugin(
      WeftRuntime runtime,
      boolean ownsRuntime,
      StepSettings settings,
      ArtifactScopes repositories) {
    this.runtime = runtime;
    this.ownsRuntime = ownsRuntime;
    this.settings = settings;
    this.mapper = new TemplateMapper(settings.limits(), settings.capabilities());
    this.artifacts = new ArtifactIO(settings.artifacts());
    this.repositories = repositories;
    this.registryModules = registryModules(settings);
    this.modules =
        new ModuleResolver(
            runtime, settings.moduleDir(), registryModules, settings.registries().moduleUrls());
  }

  /**
   * A plugin on a runtime of its own, built from the settings' engine and caches; closed with it.
   */
  public static WasmPlugin create(StepSettings settings) {
    return create(settings, ArtifactScopes.fixed(settings.artifacts()));
  }

  /**
   * As {@link #create(StepSettings)}, with steps finding their artifact repository through {@code
   * repositories}; the plugin closes them.
   */
  public static WasmPlugin create(StepSettings settings, ArtifactScopes repositories) {
    WeftRuntime.Builder b =
        WeftRuntime.builder().engine(settings.engine()).cacheMaxBytes(settings.cacheMaxBytes());
    settings
        .cacheDir()
        .ifPresent(
            d ->
                b.compiledCodeDir(d.resolve("code"))
                    .compiledCodeMaxBytes(settings.cacheMaxBytes()));
    return new WasmPlugin(b.build(), true, settings, repositories);
  }

  /** A plugin on a shared runtime, which stays open when the plugin closes. */
  public static WasmPlugin create(WeftRuntime runtime, StepSettings settings) {
    return new WasmPlugin(runtime, false, settings, ArtifactScopes.fixed(settings.artifacts()));
  }

  /**
   * A plugin on a shared runtime whose steps find their artifact repository through {@code
   * repositories} (a pool serving many namespaces) instead of the settings' one; the plugin closes
   * them.
   */
  public static WasmPlugin create(
      WeftRuntime runtime, StepSettings settings, ArtifactScopes repositories) {
    return new WasmPlugin(runtime, false, settings, repositories);
  }

  /** Pulled modules cached under the cache directory, or in memory when there is none. */
  private ModuleStore registryModules(StepSettings s) {
    RegistryClient.Builder b = RegistryClient.builder();
    s.registries().insecure().forEach(b::insecure);
    s.registries().dockerConfig().ifPresent(p -> b.credentials(Credentials.fromDockerConfig(p)));
    Path dir = s.cacheDir().map(d -> d.resolve("modules")).orElse(scratchFs.getPath("/modules"));
    return new ModuleStore(dir, b.build(), s.registries().tagTtl(), s.cacheMaxBytes());
  }

  public WeftRuntime runtime() {
    return runtime;
  }

  public StepSettings settings() {
    return settings;
  }

  /** Modules pulled from registries, for a warm start to restore. */
  public ModuleStore registryModules() {
    return registryModules;
  }

  /** The template's {@code plugin.wasm} block, or empty when the step is another plugin's. */
  public static Optional<JsonNode> wasmBlock(JsonNode template) {
    return Optional.ofNullable(template.path("plugin").get("wasm"));
  }

  /**
   * Reads a {@code plugin.wasm} block.
   *
   * @throws SpecException naming the field at fault
   */
  public WasmStep parse(JsonNode wasm) {
    return parser.parse(wasm);
  }

  /**
   * The task for a step, without input artifacts: for a front end that stages its own (the local
   * engine). Build it after adding them.
   *
   * @param scratch a fresh directory for the module's output files; the caller deletes it
   * @throws SpecException naming the field at fault (a limit or permission over the ceiling)
   */
  public TaskSpec.Builder task(
      String workflowName, StepTemplate template, WasmStep step, Path scratch) {
    return mapper.toTask(workflowName, template, step, scratch);
  }

  /**
   * Loads a step's module: file modules under the operator's module directory, confined to it.
   *
   * @throws SpecException for a reference weft will not serve
   * @throws WeftException when the module cannot be fetched, verified or compiled
   */
  public LoadedModule load(ModuleRef ref) {
    return modules.resolve(ref);
  }

  /**
   * Loads a step's module, with file modules relative to {@code baseDir} and not confined: for a
   * local workflow, its author's own files.
   */
  public LoadedModule load(ModuleRef ref, Path baseDir) {
    return modules.resolveRelative(ref, baseDir);
  }

  /**
   * Runs a processed template as Argo sends it to a plugin or writes it into a WorkflowTaskSet.
   * Every outcome is a node result: a bad step is {@code Failed} with the field named, never an
   * exception.
   *
   * @param workflowMeta the workflow's {@code metadata} (name, namespace, uid), for artifact keys
   * @throws IllegalArgumentException if the template has no {@code plugin.wasm} block
   */
  public StepRun execute(JsonNode workflowMeta, JsonNode template) {
    JsonNode wasm =
        wasmBlock(template)
            .orElseThrow(() -> new IllegalArgumentException("not a plugin: wasm: template"));
    WasmStep step;
    try {
      step = parse(wasm);
    } catch (SpecException e) {
      return StepRun.refused(
          StepRun.Refusal.INVALID, NodeResult.failed("invalid wasm step: " + e.getMessage()));
    }
    return execute(workflowMeta, template, step);
  }

  /** As {@link #execute(JsonNode, JsonNode)}, for a step already parsed. */
  public StepRun execute(JsonNode workflowMeta, JsonNode template, WasmStep step) {
    long t0 = System.nanoTime();
    LoadedModule module;
    try {
      module = modules.resolve(step.module());
    } catch (SpecException e) {
      return StepRun.refused(
          StepRun.Refusal.INVALID, NodeResult.failed("invalid wasm step: " + e.getMessage()));
    } catch (WeftException e) {
      return StepRun.refused(
          StepRun.Refusal.UNLOADABLE,
          NodeResult.failed("module cannot be loaded: " + e.getMessage()));
    }
    return run(workflowMeta, template, step, module, System.nanoTime() - t0);
  }

  /**
   * As {@link #execute(JsonNode, JsonNode, WasmStep)}, on a module the caller loaded (a warm-up's
   * built-in module).
   */
  public StepRun run(JsonNode workflowMeta, JsonNode template, WasmStep step, LoadedModule module) {
    return run(workflowMeta, template, step, module, 0);
  }

  private StepRun run(
      JsonNode workflowMeta,
      JsonNode template,
      WasmStep step,
      LoadedModule module,
      long resolveNanos) {
    Path scratch = null;
    List<AutoCloseable> toClose = new ArrayList<>();
    StepArtifacts repository = new StepArtifacts(repositories, workflowMeta);
    try {
      scratch =
          stepScratch(template, toClose)
              .getPath("/step-" + steps.incrementAndGet()); // created only if a step needs it
      StepTemplate t = StepTemplate.fromJson(template);
      if (!t.outputArtifacts().isEmpty() && !repository.get().hasRepository()) {
        throw new SpecException(
            "outputs.artifacts",
            "output artifacts need an artifact repository (" + repository.get().origin() + ")");
      }
      TaskSpec.Builder b = mapper.toTask(workflowMeta.path("name").asText(""), t, step, scratch);
      artifacts.stageInputs(template, b, scratch, toClose, repository);
      TaskSpec spec = b.build();
      TaskResult r = runtime.run(module, spec);
      if (LOG.isDebugEnabled()) {
        var tm = r.timings();
        LOG.debug(
            "step {} {} on {}: module {} ms, instantiate {} ms, run {} ms, collect {} ms",
            t.name(),
            r.phase(),
            r.engine(),
            resolveNanos / 1_000_000,
            tm.instantiateNanos() / 1_000_000,
            tm.runNanos() / 1_000_000,
            tm.collectNanos() / 1_000_000);
      }
      ArrayNode stored =
          r.succeeded()
              ? artifacts.uploadOutputs(r, template, workflowMeta, scratch, repository)
              : JsonNodeFactory.instance.arrayNode();
      return new StepRun(
          NodeResults.finished(r, t, stored),
          Optional.of(r),
          spec.limits().memoryBytes(),
          Optional.empty());
    } catch (ArtifactFailure e) {
      return StepRun.refused(
          StepRun.Refusal.ARTIFACT, NodeResult.failed(e.getMessage() + stagingFull(scratch, e)));
    } catch (SpecException e) {
      return StepRun.refused(
          StepRun.Refusal.INVALID, NodeResult.failed("invalid wasm step: " + e.getMessage()));
    } catch (UncheckedIOException | dev.weft.runtime.LimitExceededException e) {
      return StepRun.refused(
          StepRun.Refusal.INTERNAL,
          NodeResult.failed("weft could not prepare the step: " + e.getMessage()));
    } finally {
      for (AutoCloseable c : toClose) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.debug("closing a lazily read input: {}", e.toString());
        }
      }
      repository.close(); // after the lazily read inputs, which read through its store
      if (scratch != null && scratch.getFileSystem().isOpen())
        deleteQuietly(scratch); // a step's own is gone with its file system
    }
  }

  /**
   * Where a step's artifacts are staged: for a step with artifacts, a file system of its own capped
   * at the sandbox limit (staged inputs must fit the sandbox anyway) and charged to the runtime's
   * memory budget until the step ends; for others the shared scratch space, which they leave empty.
   */
  private FileSystem stepScratch(JsonNode template, List<AutoCloseable> toClose) {
    boolean artifactsStaged =
        template.path("inputs").path("artifacts").size() > 0
            || template.path("outputs").path("artifacts").size() > 0;
    if (!artifactsStaged) return scratchFs;
    long cap = settings.limits().maxSandboxBytes();
    dev.weft.runtime.MemoryBudget.Reservation r =
        runtime
            .memoryBudget()
            .reserve(
                cap,
                "staging the step's artifacts (up to limits.maxSandbox "
                    + dev.weft.runtime.Limits.formatBytes(cap)
                    + ")");
    FileSystem fs =
        Jimfs.newFileSystem(
            Configuration.unix().toBuilder().setMaxSize(cap).setMaxCacheSize(0).build());
    toClose.add(r); // closed after the file system below: the bytes are given back once freed
    toClose.add(0, fs);
    return fs;
  }

  /**
   * Names the limit when a step's own staging space is what ran out (Jimfs says "out of disk
   * space"; the unpacker has removed its partial output by now, so the free space says nothing).
   */
  private String stagingFull(Path scratch, ArtifactFailure e) {
    if (scratch == null
        || scratch.getFileSystem() == scratchFs
        || e.getMessage() == null
        || !e.getMessage().contains("out of disk space")) {
      return "";
    }
    return " (the step's artifacts are staged within the sandbox file system limit of "
        + dev.weft.runtime.Limits.formatBytes(settings.limits().maxSandboxBytes())
        + " (limits.maxSandbox), which they must fit anyway)";
  }

  @Override
  public void close() {
    repositories.close();
    registryModules.close();
    try {
      scratchFs.close();
    } catch (IOException e) {
      LOG.debug("closing scratch space: {}", e.toString());
    }
    if (ownsRuntime) runtime.close();
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) return;
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.debug("cannot remove {}: {}", dir, e.toString());
    }
  }
}
