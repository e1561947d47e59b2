package dev.weft.runtime.internal;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import dev.weft.runtime.capability.Capability;
import dev.weft.runtime.capability.HttpCapability;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiExitException;
import dev.weft.runtime.internal.wasi.Preopens;
import dev.weft.runtime.internal.wasi.WasiConfig;
import dev.weft.runtime.internal.wasi.WasiHost;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.weft.runtime.FailureKind;
import dev.weft.runtime.InputArtifact;
import dev.weft.runtime.Limits;
import dev.weft.runtime.Phase;
import dev.weft.runtime.SandboxStorage;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.Timings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Runs one task: prepare a fresh sandbox, instantiate, call {@code _start} under the deadline, then
 * let {@link Outputs} apply the contract. Every outcome becomes a {@link TaskResult}.
 */
public final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
  /** Memory within this distance of the limit at a failure counts as "limit reached". */
  private static final long MEMORY_LIMIT_WINDOW = 2L << 20;

  private final SandboxStorage storage;
  private final dev.weft.runtime.PreopenOrder preopenOrder;

  public TaskRunner(SandboxStorage storage) {
    this(storage, dev.weft.runtime.PreopenOrder.SANDBOX_FIRST);
  }

  public TaskRunner(SandboxStorage storage, dev.weft.runtime.PreopenOrder preopenOrder) {
    this.storage = storage;
    this.preopenOrder = preopenOrder;
  }

  /** How the call to {@code _start} ended. */
  record Ending(OptionalInt exitCode, Optional<FailureKind> failure, String message) {
    static Ending exit(int code) {
      return new Ending(OptionalInt.of(code), Optional.empty(), "");
    }

    static Ending failed(FailureKind kind, String message) {
      return new Ending(OptionalInt.empty(), Optional.of(kind), message);
    }
  }

  /** The task ended because the tiered engine's compiled code became ready; it is rerun on it. */
  private static final Ending PREEMPTED = Ending.failed(FailureKind.CANCELLED, "restarted on compiled code");

  public TaskResult run(CompiledWasm m, TaskSpec spec, long loadNanos, long compileNanos) {
    return attempt(m, spec, loadNanos, compileNanos, spec.limits().timeout(), null);
  }

  /**
   * The tiered engine: {@code m} is interpreted and {@code compiled} is being compiled. A task that
   * may restart runs in the interpreter at once and is restarted on the compiled code if that
   * arrives first, within the same time limit; a task that may not (it has writable host mounts
   * or a capability with effects outside the sandbox, such as HTTP) waits for the compiler.
   */
  public TaskResult runTiered(CompiledWasm m, CompletableFuture<CompiledWasm> compiled, TaskSpec spec, long loadNanos, long compileNanos) {
    long t0 = System.nanoTime();
    if (compiled.isDone() || !restartable(spec)) {
      return attempt(compiledOr(compiled, m), spec, loadNanos, compileNanos, spec.limits().timeout(), null);
    }
    TaskResult first = attempt(m, spec, loadNanos, compileNanos, spec.limits().timeout(), compiled);
    if (first != null) return first;
    Duration left = spec.limits().timeout().minusNanos(System.nanoTime() - t0);
    if (left.isNegative() || left.isZero()) left = Duration.ofNanos(1);
    LOG.debug("task of module {} restarted on compiled code after {} ms in the interpreter", m.name(), (System.nanoTime() - t0) / 1_000_000);
    return attempt(compiledOr(compiled, m), spec, loadNanos, compileNanos, left, null);
  }

  /** Whether a task can be run again from scratch unseen: nothing it can write outlives its sandbox. */
  public static boolean restartable(TaskSpec spec) {
    return spec.mounts().stream().allMatch(m -> m.hostPath().getFileSystem().isReadOnly())
        && spec.capabilities().stream().allMatch(Capability::restartable);
  }

  private static CompiledWasm compiledOr(CompletableFuture<CompiledWasm> compiled, CompiledWasm fallback) {
    try {
      return compiled.join();
    } catch (RuntimeException e) {
      return fallback; // compiling failed: the interpreter still runs the module correctly
    }
  }

  /** One run in a fresh sandbox; null when {@code preemptOn} completed first and interrupted it. */
  private TaskResult attempt(CompiledWasm m, TaskSpec spec, long loadNanos, long compileNanos, Duration budget,
      CompletableFuture<CompiledWasm> preemptOn) {
    Limits limits = spec.limits();
    TailBuffer stdout = new TailBuffer(limits.maxStdoutBytes());
    TailBuffer stderr = new TailBuffer(limits.maxStderrBytes());
    long t0 = System.nanoTime();
    long instantiateNanos = 0;
    long runNanos = 0;
    long peak = (long) m.initialPages() * Limits.PAGE_SIZE;
    Sandbox sandbox;
    try {
      sandbox = Sandbox.create(storage, spec.mounts(), limits.maxSandboxBytes(), declaredPaths(spec));
    } catch (RuntimeException e) {
      return error(m, spec, "cannot prepare the task sandbox: " + e.getMessage(), new Timings(loadNanos, compileNanos, 0, 0, 0));
    }
    try (sandbox) {
      try {
        stageInputs(sandbox, spec);
      } catch (IOException | RuntimeException e) {
        Timings t = new Timings(loadNanos, compileNanos, System.nanoTime() - t0, 0, 0);
        if (sandbox.full()) {
          Ending full = Ending.failed(FailureKind.SANDBOX_FULL, "the input artifacts do not fit in the sandbox file system limit of "
              + Limits.formatBytes(limits.maxSandboxBytes()) + " (limits.maxSandbox)");
          return Outputs.collect(m, spec, sandbox, full, stdout, stderr, peak, t);
        }
        return error(m, spec, "cannot stage the task's inputs: " + e.getMessage(), t);
      }
      if (m.initialPages() > limits.memoryPages()) {
        Ending over = Ending.failed(FailureKind.MEMORY_LIMIT,
            "module declares " + Limits.formatBytes(m.initialPages() * Limits.PAGE_SIZE) + " of initial linear memory, over the memory limit of "
                + Limits.formatBytes(limits.memoryBytes()) + " (limits.memory / --memory)");
        return Outputs.collect(m, spec, sandbox, over, stdout, stderr, peak, new Timings(loadNanos, compileNanos, System.nanoTime() - t0, 0, 0));
      }
      Ending ending;
      Instance instance = null;
      List<Capability.Session> sessions = new ArrayList<>();
      Capability.Session closeAll = new Capability.Session() {
        @Override
        public void close() {
          sessions.forEach(Capability.Session::close);
        }
      };
      try (closeAll) {
      try {
        openCapabilities(m, spec, sessions);
      } catch (RuntimeException e) {
        return error(m, spec, "cannot grant the task's capabilities: " + e.getMessage(), new Timings(loadNanos, compileNanos, System.nanoTime() - t0, 0, 0));
      }
      try (WasiHost host = new WasiHost(wasiConfig(m, spec, sandbox, stdout, stderr, sessions, preopenOrder));
          Deadline deadline = Deadline.arm(budget)) {
        if (preemptOn != null) deadline.preemptWhen(preemptOn);
        try {
          Instance.Builder b = Instance.builder(m.module())
              .withImportValues(imports(host, sessions))
              .withMemoryLimits(new MemoryLimits(m.initialPages(), Math.min(limits.memoryPages(), m.declaredMaxPages().orElse(MemoryLimits.MAX_PAGES))))
              .withMemoryFactory(l -> m.memories().take(l))
              .withStart(false);
          m.machineFactory().ifPresent(b::withMachineFactory);
          instance = b.build();
          instantiateNanos = System.nanoTime() - t0;
          long tr = System.nanoTime();
          try {
            instance.export("_start").apply();
            ending = Ending.exit(0);
          } finally {
            runNanos = System.nanoTime() - tr;
          }
        } catch (WasiExitException e) {
          ending = Ending.exit(e.exitCode());
        } catch (StackOverflowError e) {
          ending = Ending.failed(FailureKind.STACK_EXHAUSTED,
              "call stack exhausted (unbounded or too deep recursion)" + Traps.where(m, e));
        } catch (RuntimeException e) {
          ending = classify(m, e, deadline, limits, instance == null);
        }
        if (instantiateNanos == 0) instantiateNanos = System.nanoTime() - t0;
        if (instance != null && m.module().memorySection().isPresent()) {
          Memory mem = instance.memory();
          if (mem != null) {
            peak = (long) mem.pages() * Limits.PAGE_SIZE;
            m.memories().giveBack(mem, m.initialPages());
          }
        }
        if (ending == PREEMPTED) return null;
        ending = memoryLimitReached(ending, peak, limits);
        ending = sandboxFull(ending, sandbox, limits);
      }
      return withProblems(Outputs.collect(m, spec, sandbox, ending, stdout, stderr, peak,
          new Timings(loadNanos, compileNanos, instantiateNanos, runNanos, 0)), sessions);
      }
    } catch (OutOfMemoryError e) {
      return error(m, spec, "the host ran out of memory while running the task (lower limits.memory or give the JVM more heap)", new Timings(loadNanos, compileNanos, instantiateNanos, runNanos, 0));
    } catch (UncheckedIOException e) {
      return error(m, spec, e.getMessage(), new Timings(loadNanos, compileNanos, instantiateNanos, runNanos, 0));
    }
  }

  /** Opens each granted capability; a module importing HTTP without the grant gets one that denies everything. */
  private static void openCapabilities(CompiledWasm m, TaskSpec spec, List<Capability.Session> sessions) {
    boolean http = false;
    for (Capability c : spec.capabilities()) {
      sessions.add(c.open(m.name()));
      http |= c instanceof HttpCapability;
    }
    if (!http && importsFrom(m, HttpCapability.MODULE)) sessions.add(HttpCapability.denyAll().open(m.name()));
  }

  /** Whether the module imports anything from {@code module} (a few imports to look at; no allocation). */
  private static boolean importsFrom(CompiledWasm m, String module) {
    var imports = m.module().importSection();
    for (int i = 0; i < imports.importCount(); i++) {
      if (imports.getImport(i).module().equals(module)) return true;
    }
    return false;
  }

  private static ImportValues imports(WasiHost host, List<Capability.Session> sessions) {
    ImportValues.Builder b = ImportValues.builder().addFunction(host.hostFunctions());
    for (Capability.Session s : sessions) b.addFunction(s.hostFunctions().toArray(new HostFunction[0]));
    return b.build();
  }

  /** A failed task's message names what its capabilities refused (e.g. "http: denied URL (reason)"). */
  private static TaskResult withProblems(TaskResult r, List<Capability.Session> sessions) {
    if (r.phase() == Phase.Succeeded) return r;
    List<String> problems = new ArrayList<>();
    for (Capability.Session s : sessions) problems.addAll(s.problems());
    if (problems.isEmpty()) return r;
    return new TaskResult(r.phase(), r.message() + "; " + String.join("; ", problems), r.failure(), r.outputParameters(),
        r.outputArtifacts(), r.result(), r.exitCode(), r.stdoutTail(), r.stdoutTruncated(), r.stderrTail(),
        r.stderrTruncated(), r.peakMemoryBytes(), r.timings(), r.moduleDigest(), r.engine());
  }

  /** Deny by default: only the task's own args, env, stdin and sandbox directories, and granted env. */
  private static WasiConfig wasiConfig(CompiledWasm m, TaskSpec spec, Sandbox sandbox, TailBuffer stdout, TailBuffer stderr,
      List<Capability.Session> sessions, dev.weft.runtime.PreopenOrder order) {
    List<String> argv = new ArrayList<>();
    argv.add(m.name());
    argv.addAll(spec.args());
    List<Map.Entry<String, String>> env = new ArrayList<>(spec.env().entrySet());
    for (Capability.Session s : sessions) env.addAll(s.environment().entrySet());
    return new WasiConfig(argv, env, new ByteArrayInputStream(spec.stdin()), stdout, stderr,
        Preopens.ordered(sandbox.preopens(), spec.mounts().stream().map(mt -> GuestPaths.normalizeAbsolute(mt.guestPath())).toList(), order));
  }

  private static Ending classify(CompiledWasm m, RuntimeException e, Deadline deadline, Limits limits, boolean instantiating) {
    if (deadline.fired()) {
      return Ending.failed(FailureKind.TIMEOUT,
          "exceeded the time limit of " + Limits.formatDuration(limits.timeout()) + " (limits.timeout / --timeout) and was stopped");
    }
    if (e instanceof ChicoryInterruptedException || Thread.currentThread().isInterrupted()) {
      if (deadline.preempted()) return PREEMPTED;
      return Ending.failed(FailureKind.CANCELLED, "cancelled: the task's thread was interrupted");
    }
    if (instantiating) {
      return Ending.failed(FailureKind.INSTANTIATION, "module could not be instantiated: " + e.getMessage());
    }
    if (Traps.isStackExhaustion(e)) {
      return Ending.failed(FailureKind.STACK_EXHAUSTED,
          "call stack exhausted (unbounded or too deep recursion)" + Traps.where(m, e));
    }
    if (e instanceof ChicoryException) {
      return Ending.failed(FailureKind.TRAP, "trapped: " + Traps.describe(e) + Traps.where(m, e));
    }
    LOG.warn("task of module {} failed inside weft", m.name(), e);
    return Ending.failed(FailureKind.INTERNAL, "weft failed while running the module: " + e);
  }

  /**
   * Chicory refuses {@code memory.grow} past the limit by returning -1, which the module sees as
   * out-of-memory; it does not tell the host. A failure with memory at the limit is reported as
   * the limit, so the message names it rather than only the module's reaction.
   */
  private static Ending memoryLimitReached(Ending e, long peak, Limits limits) {
    boolean failed = e.failure().isPresent() || (e.exitCode().isPresent() && e.exitCode().getAsInt() != 0);
    boolean ownFault = e.failure().isEmpty() || e.failure().get() == FailureKind.TRAP;
    if (failed && ownFault && peak + MEMORY_LIMIT_WINDOW > limits.memoryBytes()) {
      String cause = e.failure().isPresent() ? e.message() : "exit code " + e.exitCode().getAsInt();
      return new Ending(e.exitCode(), Optional.of(FailureKind.MEMORY_LIMIT),
          "reached the linear memory limit of " + Limits.formatBytes(limits.memoryBytes())
              + " (limits.memory / --memory; peak " + Limits.formatBytes(peak) + "), then failed: " + cause);
    }
    return e;
  }

  /** A task that failed with its sandbox file system full is reported as such, naming the limit. */
  private static Ending sandboxFull(Ending e, Sandbox sandbox, Limits limits) {
    boolean failed = e.failure().isPresent() || (e.exitCode().isPresent() && e.exitCode().getAsInt() != 0);
    if (!failed || e.failure().filter(k -> k != FailureKind.TRAP).isPresent() || !sandbox.full()) {
      return e;
    }
    String cause = e.failure().isPresent() ? e.message() : "exit code " + e.exitCode().getAsInt();
    return new Ending(e.exitCode(), Optional.of(FailureKind.SANDBOX_FULL),
        "filled its sandbox file system up to the limit of " + Limits.formatBytes(limits.maxSandboxBytes())
            + " (limits.maxSandbox), then failed: " + cause);
  }

  private static void stageInputs(Sandbox sandbox, TaskSpec spec) throws IOException {
    Path work = sandbox.work();
    Path in = Files.createDirectory(work.resolve(ContractFiles.ARTIFACTS_IN));
    Files.createDirectory(work.resolve(ContractFiles.ARTIFACTS_OUT));
    for (InputArtifact a : spec.inputArtifacts()) {
      String rel = a.path().startsWith("/") ? a.path().substring(1) : a.path();
      Path target = sandbox.resolveUnder(Sandbox.WORK + "/" + ContractFiles.ARTIFACTS_IN, rel, a.path());
      if (target.equals(in)) {
        throw new IOException("input artifact '" + a.name() + "' has an empty path");
      }
      Files.createDirectories(target.getParent());
      if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("input artifact '" + a.name() + "': " + a.path() + " is already taken by another input artifact");
      }
      Copy.intoSandbox(a.source(), target);
      if (a.path().startsWith("/") && GuestPaths.normalizeAbsolute(a.path()).indexOf('/', 1) > 0) {
        placeAtDeclaredPath(sandbox, a, target);
      }
    }
    ContractFiles.writeInput(work, spec);
  }

  /**
   * Argo's contract: the input is also at its declared path (e.g. /tmp/message), so unmodified
   * programs find it. A hard link where the file system allows it, else a copy.
   */
  private static void placeAtDeclaredPath(Sandbox sandbox, InputArtifact a, Path staged) throws IOException {
    Path declared = sandbox.resolveOwn(a.path());
    if (Files.exists(declared, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("input artifact '" + a.name() + "': " + a.path() + " is already taken (by another input artifact or the sandbox)");
    }
    Files.createDirectories(declared.getParent());
    if (Files.isRegularFile(staged, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createLink(declared, staged);
        return;
      } catch (UnsupportedOperationException | IOException e) {
        // fall through to a copy
      }
    }
    Copy.intoSandbox(staged, declared);
  }

  /**
   * Absolute guest paths of the task's artifacts, so the sandbox can give them a directory.
   * Output parameter paths are not among them: they must lie in /work, /tmp or an artifact's
   * directory, so a stray path still fails as outside the sandbox.
   */
  private static List<String> declaredPaths(TaskSpec spec) {
    List<String> paths = new ArrayList<>();
    for (InputArtifact a : spec.inputArtifacts()) paths.add(a.path());
    for (var o : spec.outputArtifacts()) paths.add(o.path());
    return paths;
  }

  private static TaskResult error(CompiledWasm m, TaskSpec spec, String message, Timings t) {
    return new TaskResult(Phase.Error, message, Optional.of(FailureKind.INTERNAL), List.of(), List.of(), "",
        OptionalInt.empty(), "", false, "", false, 0, t, m.digest(), m.engine());
  }
}
