package dev.weft.runtime.internal.compile;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ByteBufferMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Linear memories of one module, zeroed and reused by the next task. A task's initial memory (128
 * KiB for a small C module) is most of what it allocates; reusing it keeps the garbage collector,
 * whose pauses set the server's tail latency, mostly idle. Only memories that never grew are kept,
 * so a returned memory is exactly the module's initial size, all zero, and the next instance writes
 * its data segments into it as into a new one.
 */
public final class MemoryPool {
  /** Memories kept per module: enough for the worker threads of a small server. */
  private static final int MAX_POOLED = 8;

  /** Larger memories are not kept: holding them idle would cost more than allocating them. */
  private static final int MAX_POOLED_PAGES = 256; // 16 MiB

  /**
   * Which implementation backs a non-shared memory. {@code flat} (weft's {@link FlatMemory}) won on
   * the compute suite (docs/benchmarks.md §3); {@code paged} and {@code buffer} are Chicory's
   * {@code ByteArrayMemory} and {@code ByteBufferMemory}, kept selectable with {@code
   * -Dweft.memory=} so the comparison can be rerun.
   */
  public enum Kind {
    FLAT,
    PAGED,
    BUFFER;

    /** The kind named by the {@code weft.memory} system property, {@link #FLAT} by default. */
    public static Kind configured() {
      String v = System.getProperty("weft.memory", "flat");
      try {
        return valueOf(v.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "-Dweft.memory=" + v + ": expected flat, paged or buffer", e);
      }
    }

    Memory create(MemoryLimits limits) {
      if (limits.shared()) return new ByteArrayMemory(limits); // FlatMemory is single-threaded
      return switch (this) {
        case FLAT -> new FlatMemory(limits);
        case PAGED -> new ByteArrayMemory(limits);
        case BUFFER -> new ByteBufferMemory(limits);
      };
    }
  }

  private static final Kind KIND = Kind.configured();

  private final ConcurrentLinkedDeque<Memory> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();

  /** A zeroed memory with these limits: a pooled one if it matches, else a new one. */
  public Memory take(MemoryLimits limits) {
    Memory m = idle.pollFirst();
    if (m != null) {
      size.decrementAndGet();
      if (m.pages() == limits.initialPages()
          && m.maximumPages() == Math.min(limits.maximumPages(), Memory.RUNTIME_MAX_PAGES)
          && m.shared() == limits.shared()) {
        return m;
      }
    }
    return KIND.create(limits);
  }

  /** Takes a memory back after its task, if it kept its initial size. */
  public void giveBack(Memory memory, int initialPages) {
    if (memory == null
        || memory.shared()
        || memory.pages() != initialPages
        || initialPages > MAX_POOLED_PAGES) return;
    if (size.incrementAndGet() > MAX_POOLED) {
      size.decrementAndGet();
      return;
    }
    memory.zero(); // nothing of one task may reach the next
    idle.addFirst(memory);
  }
}
