package dev.weft.engine;

import dev.weft.argo.CapabilityCeiling;
import dev.weft.argo.RegistrySettings;
import dev.weft.argo.StepSettings;
import dev.weft.argo.WasmPlugin;
import dev.weft.artifacts.ArtifactStore;
import dev.weft.engine.Model.Kind;
import dev.weft.engine.Model.Workflow;
import dev.weft.runtime.Limits;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs workflows on this machine: wasm steps in-process on one shared {@link WeftRuntime},
 * artifacts through an {@link ArtifactStore}. Reusable for many workflows; close it when done.
 *
 * <pre>{@code
 * try (WorkflowRunner r = WorkflowRunner.builder().artifacts(new LocalDirectoryStore(dir)).build()) {
 *   WorkflowStatus s = r.run(WorkflowParser.parse(Path.of("hello-world.yaml")), Map.of());
 * }
 * }</pre>
 */
public final class WorkflowRunner implements AutoCloseable {
  private static final String NAME_CHARS =
      "bcdfghjklmnpqrstvwxz2456789"; // Kubernetes' generateName alphabet
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ExecutorService workers;
  private final ArtifactStore store;
  private final Path scratch;
  private final Map<Kind, TemplateExecutor> executors;
  private final WasmPlugin wasm;
  private final Clock clock;

  private WorkflowRunner(Builder b) {
    this.workers =
        Executors.newFixedThreadPool(b.parallelism, WeftRuntime.taskThreads("weft-step-"));
    this.store = Objects.requireNonNull(b.store, "artifacts");
    this.clock = b.clock;
    try {
      this.scratch = Files.createTempDirectory("weft-run-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch directory: " + e.getMessage(), e);
    }
    WeftRuntime runtime = b.runtime != null ? b.runtime : WeftRuntime.create();
    Limits ceiling = Limits.defaults().withTimeout(b.taskTimeout);
    // modules pulled from registries are kept in the given cache (shared with weft exec and pull),
    // else under the run's scratch directory
    this.wasm =
        WasmPlugin.create(
            runtime,
            StepSettings.builder()
                .cacheDir(java.util.Optional.of(b.moduleCache != null ? b.moduleCache : scratch))
                .cacheMaxBytes(b.moduleCacheMaxBytes)
                .limits(ceiling)
                .registries(b.registries)
                .capabilities(b.capabilities)
                .build());
    this.executors = new EnumMap<>(Kind.class);
    executors.put(Kind.PLUGIN, new WasmExecutor(wasm, ceiling, b.logs));
    TemplateExecutor none = new ContainerlessExecutor();
    executors.put(Kind.CONTAINER, b.containers != null ? b.containers : none);
    executors.put(Kind.SCRIPT, b.containers != null ? b.containers : none);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts a run; watch its nodes while it runs, or wait for {@link WorkflowRun#await()}. */
  public WorkflowRun start(Workflow wf, Map<String, String> parameters) {
    String name = wf.name().orElseGet(() -> wf.generateName().get() + suffix());
    ExecutorService control =
        Executors.newSingleThreadExecutor(
            WeftRuntime.taskThreads(
                "weft-control-"
                    + name
                    + "-") /* the control thread recurses along DAG chains: deep stacks too */);
    Execution e =
        new Execution(
            this, wf, name, control, new LeafRunner(executors, store, scratch.resolve(name)));
    e.done.whenComplete(
        (s, x) -> {
          control.shutdown();
          LeafRunner.delete(scratch.resolve(name));
        });
    e.start(parameters);
    return new WorkflowRun(e);
  }

  /** Runs a workflow to its end. */
  public WorkflowStatus run(Workflow wf, Map<String, String> parameters) {
    return start(wf, parameters).await();
  }

  ExecutorService workers() {
    return workers;
  }

  /** Where runs read the time: node and workflow times, deadlines, retry backoff limits. */
  Clock clock() {
    return clock;
  }

  String storeDescription() {
    return store.describe();
  }

  private static String suffix() {
    StringBuilder s = new StringBuilder(5);
    for (int i = 0; i < 5; i++) s.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
    return s.toString();
  }

  @Override
  public void close() {
    workers.shutdownNow();
    wasm.close();
    LeafRunner.delete(scratch);
  }

  /** Options; only the artifact store is required. */
  public static final class Builder {
    private WeftRuntime runtime;
    private ArtifactStore store;
    private int parallelism = Math.max(4, Runtime.getRuntime().availableProcessors() * 4);
    private Duration taskTimeout = Duration.ofHours(24);
    private CapabilityCeiling capabilities = CapabilityCeiling.none();
    private TemplateExecutor containers;
    private Clock clock = Clock.systemUTC();
    private RegistrySettings registries =
        new RegistrySettings(java.util.Set.of(), java.util.Optional.empty(), Duration.ofMinutes(5));
    private Path moduleCache;
    private long moduleCacheMaxBytes = 1L << 30;
    private StepLogs logs = StepLogs.NONE;

    private Builder() {}

    /**
     * Where each wasm step's stdout and stderr go when it ends (default: nowhere; they stay in the
     * step's result).
     */
    public Builder stepLogs(StepLogs logs) {
      this.logs = Objects.requireNonNull(logs);
      return this;
    }

    /** How {@code module: {oci: …}} references are pulled (default: HTTPS only, no credentials). */
    public Builder registries(RegistrySettings r) {
      this.registries = Objects.requireNonNull(r);
      return this;
    }

    /**
     * Where modules pulled from registries are kept across runs ({@code DIR/modules}, as {@code
     * weft exec} keeps them), at most {@code maxBytes}; a digest-pinned module found there runs
     * without the registry. Default: a scratch directory deleted with the runner.
     */
    public Builder moduleCache(Path dir, long maxBytes) {
      this.moduleCache = Objects.requireNonNull(dir);
      this.moduleCacheMaxBytes = maxBytes;
      return this;
    }

    /** The runtime wasm steps run on (default: a new one with in-memory caches). */
    /** What steps' {@code permissions} may be granted; nothing by default. */
    public Builder capabilities(CapabilityCeiling c) {
      this.capabilities = java.util.Objects.requireNonNull(c);
      return this;
    }

    public Builder runtime(WeftRuntime runtime) {
      this.runtime = runtime;
      return this;
    }

    public Builder artifacts(ArtifactStore store) {
      this.store = store;
      return this;
    }

    /** Leaf steps running at once (default: cores × 4). */
    public Builder parallelism(int n) {
      if (n < 1) throw new IllegalArgumentException("parallelism must be at least 1, got " + n);
      this.parallelism = n;
      return this;
    }

    /** The longest a wasm step may run when its template sets no timeout (default 24h). */
    public Builder taskTimeout(Duration d) {
      this.taskTimeout = d;
      return this;
    }

    /** An executor for container and script templates (default: they end in Error, saying why). */
    public Builder containers(TemplateExecutor executor) {
      this.containers = executor;
      return this;
    }

    /**
     * The clock runs read the time from: nodes' and the workflow's start and finish times,
     * deadlines, and retry backoff limits (default: the system clock). Waits (a suspend's duration,
     * a retry's backoff) still take real time.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public WorkflowRunner build() {
      return new WorkflowRunner(this);
    }
  }
}
