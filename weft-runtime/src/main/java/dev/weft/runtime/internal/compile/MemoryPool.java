package dev.weft.runtime.internal.compile;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Linear memories of one module, zeroed and reused by the next task. A task's initial memory
 * (128 KiB for a small C module) is most of what it allocates; reusing it keeps the garbage
 * collector, whose pauses set the server's tail latency, mostly idle. Only memories that never
 * grew are kept, so a returned memory is exactly the module's initial size, all zero, and the next
 * instance writes its data segments into it as into a new one.
 */
public final class MemoryPool {
  /** Memories kept per module: enough for the worker threads of a small server. */
  private static final int MAX_POOLED = 8;
  /** Larger memories are not kept: holding them idle would cost more than allocating them. */
  private static final int MAX_POOLED_PAGES = 256; // 16 MiB

  private final ConcurrentLinkedDeque<ByteArrayMemory> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();

  /** A zeroed memory with these limits: a pooled one if it matches, else a new one. */
  public Memory take(MemoryLimits limits) {
    ByteArrayMemory m = idle.pollFirst();
    if (m != null) {
      size.decrementAndGet();
      if (m.pages() == limits.initialPages() && m.maximumPages() == limits.maximumPages()) {
        return m;
      }
    }
    return new ByteArrayMemory(limits);
  }

  /** Takes a memory back after its task, if it kept its initial size. */
  public void giveBack(Memory memory, int initialPages) {
    if (!(memory instanceof ByteArrayMemory m) || m.pages() != initialPages || initialPages > MAX_POOLED_PAGES) return;
    if (size.incrementAndGet() > MAX_POOLED) {
      size.decrementAndGet();
      return;
    }
    m.zero(); // nothing of one task may reach the next
    idle.addFirst(m);
  }
}
