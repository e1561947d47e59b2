package dev.weft.bench.compare;

import java.util.List;

/**
 * Billable memory time over total memory time, in byte·nanoseconds.
 *
 * <p>Billable: for every successful task, the memory reserved for it times the time its user code
 * ran ({@code codeEnd - codeStart}). Total: the memory the execution system held, integrated over
 * the wall time of the measurement (see {@link MemorySampler}).
 *
 * @param billable Σ reserved × code time
 * @param held ∫ held memory dt
 */
public record Utilisation(double billable, double held) {
  public double ratio() {
    return held > 0 ? billable / held : Double.NaN;
  }

  /** Reserved = each task's own peak memory (what it needed, no more). */
  public static double billableByPeak(List<TaskSample> tasks) {
    double b = 0;
    for (TaskSample t : tasks) if (t.ok()) b += (double) t.peakBytes() * t.codeNanos();
    return b;
  }

  /** Reserved = the same configured limit for every task (the billing view: memory you asked for). */
  public static double billableByLimit(List<TaskSample> tasks, long limitBytes) {
    double b = 0;
    for (TaskSample t : tasks) if (t.ok()) b += (double) limitBytes * t.codeNanos();
    return b;
  }
}
