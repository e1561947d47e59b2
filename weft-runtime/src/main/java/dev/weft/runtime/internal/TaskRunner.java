package dev.weft.runtime.internal;

import dev.weft.runtime.FailureKind;
import dev.weft.runtime.LimitExceededException;
import dev.weft.runtime.Limits;
import dev.weft.runtime.MemoryBudget;
import dev.weft.runtime.Phase;
import dev.weft.runtime.PreopenOrder;
import dev.weft.runtime.SandboxStorage;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.Timings;
import dev.weft.runtime.capability.Capability;
import dev.weft.runtime.capability.CapabilityKind;
import dev.weft.runtime.internal.compile.CompiledWasm;
import dev.weft.runtime.internal.contract.Inputs;
import dev.weft.runtime.internal.contract.Outputs;
import dev.weft.runtime.internal.run.CapabilitySessions;
import dev.weft.runtime.internal.run.Ending;
import dev.weft.runtime.internal.run.ModuleRun;
import dev.weft.runtime.internal.run.TailBuffer;
import dev.weft.runtime.internal.sandbox.GuestPaths;
import dev.weft.runtime.internal.sandbox.Sandbox;
import dev.weft.runtime.internal.wasi.Preopens;
import dev.weft.runtime.internal.wasi.SandboxSpace;
import dev.weft.runtime.internal.wasi.WasiConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task through its stages: sandbox → stage inputs → instantiate and run → collect. Each
 * stage is one method here and one package under {@code internal}; every outcome becomes a {@link
 * TaskResult}, never an exception.
 */
public final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

  private final SandboxStorage storage;
  private final List<CapabilityKind> capabilityKinds;
  private final PreopenOrder preopenOrder;
  private final MemoryBudget budget;

  public TaskRunner(
      SandboxStorage storage,
      List<CapabilityKind> capabilityKinds,
      PreopenOrder preopenOrder,
      MemoryBudget budget) {
    this.storage = storage;
    this.capabilityKinds = List.copyOf(capabilityKinds);
    this.preopenOrder = preopenOrder;
    this.budget = budget;
  }

  public TaskResult run(CompiledWasm m, TaskSpec spec, long loadNanos, long compileNanos) {
    return attempt(
        m, spec, new Timings(loadNanos, compileNanos, 0, 0, 0), spec.limits().timeout(), null);
  }

  /**
   * The tiered engine: {@code m} is interpreted and {@code compiled} is being compiled. A task that
   * may restart runs in the interpreter at once and is restarted on the compiled code if that
   * arrives first, within the same time limit; a task that may not (it has writable host mounts or
   * a capability with effects outside the sandbox, such as HTTP) waits for the compiler.
   */
  public TaskResult runTiered(
      CompiledWasm m,
      CompletableFuture<CompiledWasm> compiled,
      TaskSpec spec,
      long loadNanos,
      long compileNanos) {
    long t0 = System.nanoTime();
    Timings loaded = new Timings(loadNanos, compileNanos, 0, 0, 0);
    if (compiled.isDone() || !restartable(spec))
      return attempt(compiledOr(compiled, m), spec, loaded, spec.limits().timeout(), null);
    TaskResult first = attempt(m, spec, loaded, spec.limits().timeout(), compiled);
    if (first != null) return first;
    Duration left = spec.limits().timeout().minusNanos(System.nanoTime() - t0);
    if (left.isNegative() || left.isZero()) left = Duration.ofNanos(1);
    LOG.debug(
        "task of module {} restarted on compiled code after {} ms in the interpreter",
        m.name(),
        (System.nanoTime() - t0) / 1_000_000);
    return attempt(compiledOr(compiled, m), spec, loaded, left, null);
  }

  /**
   * Whether a task can be run again from scratch unseen: nothing it can write outlives its sandbox.
   */
  public static boolean restartable(TaskSpec spec) {
    return spec.mounts().stream().allMatch(m -> m.hostPath().getFileSystem().isReadOnly())
        && spec.capabilities().stream().allMatch(Capability::restartable);
  }

  private static CompiledWasm compiledOr(
      CompletableFuture<CompiledWasm> compiled, CompiledWasm fallback) {
    try {
      return compiled.join();
    } catch (RuntimeException e) {
      return fallback; // compiling failed: the interpreter still runs the module correctly
    }
  }

  /** One run in a fresh sandbox; null when {@code preemptOn} completed first and interrupted it. */
  private TaskResult attempt(
      CompiledWasm m,
      TaskSpec spec,
      Timings loaded,
      Duration budget,
      CompletableFuture<CompiledWasm> preemptOn) {
    long t0 = System.nanoTime();
    Limits limits = spec.limits();
    MemoryBudget.Reservation reservation;
    try {
      reservation =
          this.budget.reserve(
              limits.hostBytes(storage),
              "the task (limits.memory "
                  + Limits.formatBytes(limits.memoryBytes())
                  + (storage == SandboxStorage.MEMORY
                      ? " + limits.maxSandbox " + Limits.formatBytes(limits.maxSandboxBytes())
                      : "")
                  + ")",
              limits
                  .timeout()); // waits as a pod waits to be scheduled, at most as long as the task
      // may run
    } catch (LimitExceededException e) {
      return refused(m, e.getMessage(), loaded);
    }
    try (reservation) {
      return reserved(m, spec, loaded, budget, preemptOn, t0);
    }
  }

  private TaskResult reserved(
      CompiledWasm m,
      TaskSpec spec,
      Timings loaded,
      Duration budget,
      CompletableFuture<CompiledWasm> preemptOn,
      long t0) {
    Sandbox sandbox;
    try {
      sandbox =
          Sandbox.create(
              storage, spec.mounts(), spec.limits().maxSandboxBytes(), Inputs.declaredPaths(spec));
    } catch (RuntimeException e) {
      return error(m, "cannot prepare the task sandbox: " + e.getMessage(), loaded);
    }
    try (sandbox) {
      return inSandbox(m, spec, sandbox, loaded, budget, preemptOn, t0);
    } catch (OutOfMemoryError e) {
      return error(
          m,
          "the host ran out of memory while running the task (lower limits.memory or give the JVM more heap)",
          loaded);
    } catch (UncheckedIOException e) {
      return error(m, e.getMessage(), loaded);
    }
  }

  private TaskResult inSandbox(
      CompiledWasm m,
      TaskSpec spec,
      Sandbox sandbox,
      Timings loaded,
      Duration budget,
      CompletableFuture<CompiledWasm> preemptOn,
      long t0) {
    Limits limits = spec.limits();
    TailBuffer stdout = new TailBuffer(limits.maxStdoutBytes());
    TailBuffer stderr = new TailBuffer(limits.maxStderrBytes());
    long initial = (long) m.initialPages() * Limits.PAGE_SIZE;
    Optional<TaskResult> unstaged =
        stageInputs(m, spec, sandbox, stdout, stderr, initial, since(loaded, t0));
    if (unstaged.isPresent()) return unstaged.get();
    if (m.initialPages() > limits.memoryPages()) {
      Ending over =
          Ending.failed(
              FailureKind.MEMORY_LIMIT,
              "module declares "
                  + Limits.formatBytes(initial)
                  + " of initial linear memory, over the memory limit of "
                  + Limits.formatBytes(limits.memoryBytes())
                  + " (limits.memory / --memory)");
      return Outputs.collect(m, spec, sandbox, over, stdout, stderr, initial, since(loaded, t0));
    }
    CapabilitySessions sessions;
    try {
      sessions = CapabilitySessions.open(m, spec.capabilities(), capabilityKinds);
    } catch (RuntimeException e) {
      return error(m, "cannot grant the task's capabilities: " + e.getMessage(), since(loaded, t0));
    }
    try (sessions) {
      ModuleRun.Outcome run =
          ModuleRun.run(
              m,
              wasiConfig(m, spec, sandbox, stdout, stderr, sessions),
              sessions.sessions(),
              limits,
              budget,
              preemptOn);
      if (run.ending() == ModuleRun.PREEMPTED) return null;
      Ending ending = sandboxFull(run.ending(), sandbox, limits);
      Timings t =
          new Timings(
              loaded.loadNanos(), loaded.compileNanos(), run.instantiateNanos(), run.runNanos(), 0);
      return withProblems(
          Outputs.collect(m, spec, sandbox, ending, stdout, stderr, run.peakMemoryBytes(), t),
          sessions);
    }
  }

  /**
   * The stage-inputs stage; a result when it failed (a full sandbox is the task's, anything else
   * weft's).
   */
  private static Optional<TaskResult> stageInputs(
      CompiledWasm m,
      TaskSpec spec,
      Sandbox sandbox,
      TailBuffer stdout,
      TailBuffer stderr,
      long peak,
      Timings t) {
    try {
      Inputs.stage(sandbox, spec);
      sandbox.chargeExisting();
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      if (!sandbox.full()
          && !sandbox.spaceRefused()
          && !String.valueOf(e.getMessage()).contains("out of disk space"))
        return Optional.of(error(m, "cannot stage the task's inputs: " + e.getMessage(), t));
      Ending full =
          Ending.failed(
              FailureKind.SANDBOX_FULL,
              "the input artifacts do not fit in the sandbox file system limit of "
                  + Limits.formatBytes(spec.limits().maxSandboxBytes())
                  + " (limits.maxSandbox)");
      return Optional.of(Outputs.collect(m, spec, sandbox, full, stdout, stderr, peak, t));
    }
  }

  private static Timings since(Timings loaded, long t0) {
    return new Timings(loaded.loadNanos(), loaded.compileNanos(), System.nanoTime() - t0, 0, 0);
  }

  /**
   * A failed task's message names what its capabilities refused (e.g. "http: denied URL (reason)").
   */
  private static TaskResult withProblems(TaskResult r, CapabilitySessions sessions) {
    if (r.phase() == Phase.Succeeded) return r;
    List<String> problems = sessions.problems();
    return problems.isEmpty() ? r : r.withMessage(r.message() + "; " + String.join("; ", problems));
  }

  /**
   * Deny by default: only the task's own args, env, stdin and sandbox directories, and granted env.
   */
  private WasiConfig wasiConfig(
      CompiledWasm m,
      TaskSpec spec,
      Sandbox sandbox,
      TailBuffer stdout,
      TailBuffer stderr,
      CapabilitySessions sessions) {
    List<String> argv = new ArrayList<>();
    argv.add(m.name());
    argv.addAll(spec.args());
    List<Map.Entry<String, String>> env = new ArrayList<>(spec.env().entrySet());
    sessions.environment((k, v) -> env.add(Map.entry(k, v)));
    List<String> mounts =
        spec.mounts().stream().map(mt -> GuestPaths.normalizeAbsolute(mt.guestPath())).toList();
    return new WasiConfig(
        argv,
        env,
        new ByteArrayInputStream(spec.stdin()),
        stdout,
        stderr,
        Preopens.ordered(sandbox.preopens(), mounts, preopenOrder),
        new SandboxSpace() {
          @Override
          public void charge(java.nio.file.Path entry) throws IOException {
            sandbox.chargeEntry(entry);
          }

          @Override
          public void refund(java.nio.file.Path entry) {
            sandbox.refundEntry(entry);
          }

          @Override
          public void refused() {
            sandbox.noteSpaceRefused();
          }
        });
  }

  /** A task that failed with its sandbox file system full is reported as such, naming the limit. */
  private static Ending sandboxFull(Ending e, Sandbox sandbox, Limits limits) {
    if (!e.failedAtAll()
        || e.failure().filter(k -> k != FailureKind.TRAP).isPresent()
        || !(sandbox.full() || sandbox.spaceRefused())) return e;
    return new Ending(
        e.exitCode(),
        Optional.of(FailureKind.SANDBOX_FULL),
        (sandbox.full()
                ? "filled its sandbox file system up to the limit of "
                : "was refused space in its sandbox file system (limit ")
            + Limits.formatBytes(limits.maxSandboxBytes())
            + (sandbox.full() ? " (limits.maxSandbox)" : ", limits.maxSandbox)")
            + (sandbox.entries() > 0
                ? ", "
                    + sandbox.entries()
                    + " files and directories charged "
                    + Sandbox.ENTRY_BYTES
                    + " bytes each"
                : "")
            + ", then failed: "
            + e.cause());
  }

  /** Admission refused: the task never started, and may be sent again when the host has room. */
  private static TaskResult refused(CompiledWasm m, String message, Timings t) {
    return new TaskResult(
        Phase.Error,
        message,
        Optional.of(FailureKind.ADMISSION),
        List.of(),
        List.of(),
        "",
        OptionalInt.empty(),
        "",
        false,
        "",
        false,
        0,
        t,
        m.digest(),
        m.engine());
  }

  private static TaskResult error(CompiledWasm m, String message, Timings t) {
    return new TaskResult(
        Phase.Error,
        message,
        Optional.of(FailureKind.INTERNAL),
        List.of(),
        List.of(),
        "",
        OptionalInt.empty(),
        "",
        false,
        "",
        false,
        0,
        t,
        m.digest(),
        m.engine());
  }
}
