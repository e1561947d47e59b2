package dev.weft.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.weft.runtime.internal.compile.MemoryPool;
import org.junit.jupiter.api.Test;

/** Reused memories carry nothing from one task to the next. */
class MemoryPoolTest {
  private static final MemoryLimits LIMITS = new MemoryLimits(2, 64);

  @Test
  void returnedMemoryComesBackZeroed() {
    MemoryPool pool = new MemoryPool();
    Memory first = pool.take(LIMITS);
    first.fill((byte) 0x5a, 0, 2 * 65536);
    pool.giveBack(first, 2);

    Memory second = pool.take(LIMITS);
    assertThat(second).isSameAs(first);
    byte[] all = second.readBytes(0, 2 * 65536);
    for (byte b : all) assertThat(b).isZero();
  }

  @Test
  void grownMemoryIsNotReused() {
    MemoryPool pool = new MemoryPool();
    Memory grown = pool.take(LIMITS);
    grown.grow(1);
    pool.giveBack(grown, 2);

    Memory next = pool.take(LIMITS);
    assertThat(next).isNotSameAs(grown);
    assertThat(next.pages()).isEqualTo(2);
  }

  @Test
  void memoryWithOtherLimitsIsNotHandedOut() {
    MemoryPool pool = new MemoryPool();
    Memory small = pool.take(LIMITS);
    pool.giveBack(small, 2);

    Memory other = pool.take(new MemoryLimits(2, 32));
    assertThat(other).isNotSameAs(small);
    assertThat(other.maximumPages()).isEqualTo(32);
  }
}
