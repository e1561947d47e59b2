package dev.weft.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap bytes tasks may make the host hold at once: linear memory, sandbox files (inputs
 * unpacked into them included) and staged artifacts. A task reserves its share before it starts and
 * is refused, by name, when the share cannot be had; it gives it back when it ends. A runtime has
 * one budget ({@link WeftRuntime#memoryBudget}), which front ends also charge what they stage for a
 * task to; the short warm-up runtime has its own.
 */
public final class MemoryBudget {
  /**
   * The part of the heap tasks may hold; the rest is for the JVM, the server and compiled modules.
   */
  public static final double HEAP_FRACTION = 0.6;

  private final long totalBytes;
  private final AtomicLong reserved = new AtomicLong();

  private MemoryBudget(long totalBytes) {
    if (totalBytes <= 0)
      throw new IllegalArgumentException("memory budget must be positive, got " + totalBytes);
    this.totalBytes = totalBytes;
  }

  /** A budget of exactly this many bytes. */
  public static MemoryBudget of(long totalBytes) {
    return new MemoryBudget(totalBytes);
  }

  /** {@value #HEAP_FRACTION} of this JVM's maximum heap. */
  public static MemoryBudget fromHeap() {
    return new MemoryBudget(forHeap(Runtime.getRuntime().maxMemory()));
  }

  /** The budget for a heap of this size. */
  public static long forHeap(long heapBytes) {
    return (long) (heapBytes * HEAP_FRACTION);
  }

  public long totalBytes() {
    return totalBytes;
  }

  public long reservedBytes() {
    return reserved.get();
  }

  /**
   * Reserves {@code bytes} now or refuses at once.
   *
   * @param what what the bytes are for, named in the refusal (e.g. "task: limits.memory 64MiB +
   *     limits.maxSandbox 64MiB")
   * @throws LimitExceededException when the budget has not that much left
   */
  public Reservation reserve(long bytes, String what) {
    return reserve(bytes, what, java.time.Duration.ZERO);
  }

  /**
   * Reserves {@code bytes}, waiting up to {@code wait} for other reservations to be given back (a
   * task waits for memory as a pod waits to be scheduled), then refuses naming the budget.
   *
   * @throws LimitExceededException when the budget has not that much left after the wait, or the
   *     bytes are more than the whole budget (no wait can help)
   */
  public Reservation reserve(long bytes, String what, java.time.Duration wait) {
    if (bytes < 0) throw new IllegalArgumentException("cannot reserve a negative amount: " + bytes);
    long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
    synchronized (this) {
      while (true) {
        long now = reserved.get();
        if (bytes <= totalBytes - now) {
          reserved.addAndGet(bytes);
          return new Reservation(this, bytes);
        }
        long left = deadline - System.nanoTime();
        if (bytes > totalBytes || left <= 0) throw refusal(bytes, what, now);
        try {
          java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw refusal(bytes, what, now);
        }
      }
    }
  }

  private LimitExceededException refusal(long bytes, String what, long now) {
    return new LimitExceededException(
        "host memory budget",
        totalBytes,
        now + bytes,
        "cannot reserve "
            + Limits.formatBytes(bytes)
            + " for "
            + what
            + ": the host memory budget of "
            + Limits.formatBytes(totalBytes)
            + " ("
            + (int) (HEAP_FRACTION * 100)
            + "% of the heap; raise -Xmx, or lower the limits) has "
            + Limits.formatBytes(Math.max(0, totalBytes - now))
            + " left");
  }

  private synchronized void release(long bytes) {
    reserved.addAndGet(-bytes);
    notifyAll();
  }

  /** Bytes held for one task or step; closing it gives them back (once). */
  public static final class Reservation implements AutoCloseable {
    private final MemoryBudget budget;
    private final long bytes;
    private final java.util.concurrent.atomic.AtomicBoolean released =
        new java.util.concurrent.atomic.AtomicBoolean();

    private Reservation(MemoryBudget budget, long bytes) {
      this.budget = budget;
      this.bytes = bytes;
    }

    public long bytes() {
      return bytes;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) budget.release(bytes);
    }
  }
}
