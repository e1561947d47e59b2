package dev.weft.runtime.internal.run;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.weft.runtime.FailureKind;
import dev.weft.runtime.Limits;
import dev.weft.runtime.capability.Capability;
import dev.weft.runtime.internal.compile.CompiledWasm;
import dev.weft.runtime.internal.compile.FlatMemory;
import dev.weft.runtime.internal.wasi.WasiConfig;
import dev.weft.runtime.internal.wasi.WasiHost;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instantiate and run stages: links the module against WASI and the capabilities' host
 * functions, calls {@code _start} under the deadline, and says how it ended. The module's memory
 * goes back to its pool afterwards.
 */
public final class ModuleRun {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleRun.class);

  /** Memory within this distance of the limit at a failure counts as "limit reached". */
  private static final long MEMORY_LIMIT_WINDOW = 2L << 20;

  /** The task ended because the tiered engine's compiled code became ready; it is rerun on it. */
  public static final Ending PREEMPTED =
      Ending.failed(FailureKind.CANCELLED, "restarted on compiled code");

  /**
   * What the stages measured.
   *
   * @param peakMemoryBytes the linear memory at its largest
   */
  public record Outcome(
      Ending ending, long peakMemoryBytes, long instantiateNanos, long runNanos) {}

  private ModuleRun() {}

  /**
   * @param preemptOn when it completes first, the run is interrupted and ends {@link #PREEMPTED}
   */
  public static Outcome run(
      CompiledWasm m,
      WasiConfig wasi,
      List<Capability.Session> sessions,
      Limits limits,
      Duration budget,
      CompletableFuture<CompiledWasm> preemptOn) {
    long t0 = System.nanoTime();
    long instantiateNanos = 0;
    long runNanos = 0;
    long peak = (long) m.initialPages() * Limits.PAGE_SIZE;
    Ending ending;
    Instance instance = null;
    try (WasiHost host = new WasiHost(wasi);
        Deadline deadline = Deadline.arm(budget)) {
      if (preemptOn != null) deadline.preemptWhen(preemptOn);
      try {
        Instance.Builder b =
            Instance.builder(m.module())
                .withImportValues(imports(host, sessions))
                .withMemoryLimits(
                    new MemoryLimits(
                        m.initialPages(),
                        Math.min(
                            limits.memoryPages(),
                            m.declaredMaxPages().orElse(MemoryLimits.MAX_PAGES))))
                .withMemoryFactory(l -> m.memories().take(l))
                .withStart(false);
        m.machineFactory().ifPresent(b::withMachineFactory);
        instance = b.build();
        if (instance.memory() instanceof FlatMemory f) deadline.watch(f);
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
        ending =
            Ending.failed(
                FailureKind.STACK_EXHAUSTED,
                "call stack exhausted (unbounded or too deep recursion)" + Traps.where(m, e));
      } catch (RuntimeException e) {
        ending = classify(m, e, deadline, limits, instance == null);
      }
      if (instantiateNanos == 0) instantiateNanos = System.nanoTime() - t0;
      if (instance != null && m.module().memorySection().isPresent()) {
        Memory mem = instance.memory();
        if (mem != null) {
          deadline.unwatch(); // no late stop request may reach the memory's next task
          peak = (long) mem.pages() * Limits.PAGE_SIZE;
          m.memories().giveBack(mem, m.initialPages());
        }
      }
    }
    if (ending != PREEMPTED) ending = memoryLimitReached(ending, peak, limits);
    return new Outcome(ending, peak, instantiateNanos, runNanos);
  }

  private static ImportValues imports(WasiHost host, List<Capability.Session> sessions) {
    ImportValues.Builder b = ImportValues.builder().addFunction(host.hostFunctions());
    for (Capability.Session s : sessions)
      b.addFunction(s.hostFunctions().toArray(new HostFunction[0]));
    return b.build();
  }

  private static Ending classify(
      CompiledWasm m, RuntimeException e, Deadline deadline, Limits limits, boolean instantiating) {
    if (deadline.fired()) {
      return Ending.failed(
          FailureKind.TIMEOUT,
          "exceeded the time limit of "
              + Limits.formatDuration(limits.timeout())
              + " (limits.timeout / --timeout) and was stopped");
    }
    if (e instanceof ChicoryInterruptedException || Thread.currentThread().isInterrupted()) {
      if (deadline.preempted()) return PREEMPTED;
      return Ending.failed(FailureKind.CANCELLED, "cancelled: the task's thread was interrupted");
    }
    if (instantiating)
      return Ending.failed(
          FailureKind.INSTANTIATION, "module could not be instantiated: " + e.getMessage());
    if (Traps.isStackExhaustion(e)) {
      return Ending.failed(
          FailureKind.STACK_EXHAUSTED,
          "call stack exhausted (unbounded or too deep recursion)" + Traps.where(m, e));
    }
    if (e instanceof ChicoryException)
      return Ending.failed(FailureKind.TRAP, "trapped: " + Traps.describe(e) + Traps.where(m, e));
    LOG.warn("task of module {} failed inside weft", m.name(), e);
    return Ending.failed(FailureKind.INTERNAL, "weft failed while running the module: " + e);
  }

  /**
   * Chicory refuses {@code memory.grow} past the limit by returning -1, which the module sees as
   * out-of-memory; it does not tell the host. A failure with memory at the limit is reported as the
   * limit, so the message names it rather than only the module's reaction.
   */
  private static Ending memoryLimitReached(Ending e, long peak, Limits limits) {
    boolean ownFault = e.failure().isEmpty() || e.failure().get() == FailureKind.TRAP;
    if (e.failedAtAll() && ownFault && peak + MEMORY_LIMIT_WINDOW > limits.memoryBytes()) {
      return new Ending(
          e.exitCode(),
          java.util.Optional.of(FailureKind.MEMORY_LIMIT),
          "reached the linear memory limit of "
              + Limits.formatBytes(limits.memoryBytes())
              + " (limits.memory / --memory; peak "
              + Limits.formatBytes(peak)
              + "), then failed: "
              + e.cause());
    }
    return e;
  }
}
