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

  /**
   * Held memory time is at least what the tasks reserved while the system was busy with them: max(∫
   * sampled RSS dt, Σ peak × (done − submit)). Without this floor, sampling RSS every few
   * milliseconds undercounts processes that live a few milliseconds, and a task's peak exceeds its
   * average RSS, so a ratio could pass 1.
   */
  public static double heldAtLeastReserved(List<TaskSample> tasks, double heldRss) {
    double r = 0;
    for (TaskSample t : tasks) if (t.ok()) r += (double) t.peakBytes() * t.endToEndNanos();
    return Math.max(heldRss, r);
  }

  /**
   * Reserved = the same configured limit for every task (the billing view: memory you asked for).
   */
  public static double billableByLimit(List<TaskSample> tasks, long limitBytes) {
    double b = 0;
    for (TaskSample t : tasks) if (t.ok()) b += (double) limitBytes * t.codeNanos();
    return b;
  }
}
