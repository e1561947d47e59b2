package dev.weft.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a one-shot command's start-up goes, for tuning (docs/benchmarks.md §4.2): with {@code
 * WEFT_TRACE_STARTUP=1} in the environment, {@code weft exec} prints on stderr the time since the
 * JVM started at each stage boundary (main entered, command parsed, module loaded, task run, result
 * printed). Off by default, and then each mark is one boolean test.
 */
final class StartupTrace {
  static final boolean ON = System.getenv("WEFT_TRACE_STARTUP") != null;
  private static final List<String> NAMES = ON ? new ArrayList<>() : null;
  private static final List<Long> TIMES = ON ? new ArrayList<>() : null;
  private static final List<Long> CPU = ON ? new ArrayList<>() : null;

  private StartupTrace() {}

  static void mark(String stage) {
    if (!ON) return;
    NAMES.add(stage);
    TIMES.add(System.nanoTime());
    CPU.add(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
  }

  /** Prints the marks as milliseconds since the JVM started (its process start time). */
  static void print(
      PrintWriter err, dev.weft.runtime.LoadedModule m, dev.weft.runtime.TaskResult r) {
    if (!ON) return;
    long nowNanos = System.nanoTime();
    long nowMillis = System.currentTimeMillis();
    long startMillis =
        ProcessHandle.current()
            .info()
            .startInstant()
            .map(java.time.Instant::toEpochMilli)
            .orElse(nowMillis);
    StringBuilder b = new StringBuilder("weft: start-up (ms since the process started):");
    for (int i = 0; i < NAMES.size(); i++) {
      long at = nowMillis - (nowNanos - TIMES.get(i)) / 1_000_000 - startMillis;
      b.append(' ').append(NAMES.get(i)).append('=').append(at);
    }
    b.append("; the main thread's CPU (ms):");
    for (int i = 0; i < NAMES.size(); i++)
      b.append(' ').append(NAMES.get(i)).append('=').append(CPU.get(i) / 1_000_000);
    b.append("; the process's CPU (ms): ")
        .append(
            ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(java.time.Duration::toMillis)
                .orElse(-1L));
    dev.weft.runtime.Timings t = r.timings();
    b.append(
        String.format(
            "; engine %s; runtime's phases (ms): load=%.1f compile=%.1f instantiate=%.1f run=%.1f collect=%.1f",
            m.engine(),
            m.loadNanos() / 1e6,
            m.compileNanos() / 1e6,
            t.instantiateNanos() / 1e6,
            t.runNanos() / 1e6,
            t.collectNanos() / 1e6));
    err.println(b);
    err.flush();
  }
}
