package dev.weft.runtime.internal.compile;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ConstantEvaluators;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A non-shared linear memory in one flat {@code byte[]}, grown by reallocation.
 *
 * <p>Why not Chicory's {@code ByteArrayMemory}: it keeps 64 KiB pages ({@code byte[][]}), so every
 * load is two dependent array loads, a page-boundary test and two bounds checks, which the JIT
 * cannot hoist out of a loop. Here a load is one {@link VarHandle} view access on one array whose
 * reference lives in a plain field: in a loop that does not grow memory the JIT keeps the array in
 * a register and can hoist or eliminate its range check. Out-of-range accesses surface as the JVM's
 * {@link IndexOutOfBoundsException} and are turned into Wasm's trap on that slow path only.
 *
 * <p>Growth: the array is exactly the memory's size, so each grow copies it. A guest that grows a
 * page at a time (malloc through sbrk does) would copy its memory once per page, quadratic in its
 * size; after {@value #EXACT_GROWS} grows the memory therefore switches to a reserve: the array's
 * capacity grows by half again, and every access also checks the memory's size (an explicit check
 * that measured ~1.35x slower on memory-bound loops, which only such memories pay).
 *
 * <p>Only for non-shared memories: a memory used by one task thread at a time, which is all weft
 * runs. Atomic instructions use the {@link Memory} interface's defaults, which lock on {@link
 * #lock(int)} (this object), correct for a memory no other thread touches.
 *
 * <p>Stop requests: the memory also carries the flag compiled code polls at every loop back-edge
 * and call ({@link #checkInterruption(Memory)}, wired in by {@link InterruptPolls}), set by {@link
 * #requestStop()} when the task's deadline passes or its thread is interrupted. Chicory's own check
 * reads {@code Thread.isInterrupted()}, a volatile read, which the JIT treats as a barrier: every
 * loop that contains one reloads {@link #bytes} and its length each iteration, so no bounds check
 * is hoisted and the loop is not unrolled (docs/benchmarks.md §3.2).
 */
public final class FlatMemory implements Memory {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  private final int initialPages;
  private final int maximumPages;

  /** Grows with an exact-size array before switching to a reserve. */
  static final int EXACT_GROWS = 8;

  /** Backing store: exactly {@link #size} bytes until {@link #reserved}, then possibly more. */
  private byte[] bytes;

  /** The memory's size in bytes, what Wasm sees. */
  private int size;

  /** Whether {@link #bytes} may be longer than {@link #size}, so accesses must check the size. */
  private boolean reserved;

  private int grows;
  private DataSegment[] dataSegments;

  /**
   * The stop flag ({@code [STOP]}, non-zero once a stop is requested) and a slot the polling thread
   * writes at every poll ({@code [TOUCH]}). The write matters: a loop that only read {@code
   * poll[STOP]} could have that plain read hoisted out of it by the JIT, and an endless loop would
   * never see the flag; a store to the same array in the loop keeps the read in every iteration,
   * without the barrier a volatile read would be. The flag is written by other threads with a
   * volatile store; the task thread reads it plainly, and sees it within a few iterations.
   */
  private final long[] poll = new long[2];

  private static final int STOP = 0;
  private static final int TOUCH = 1;
  private static final VarHandle POLL = MethodHandles.arrayElementVarHandle(long[].class);

  /** A zeroed memory of {@code limits.initialPages()}; shared limits are refused. */
  public FlatMemory(MemoryLimits limits) {
    if (limits.shared())
      throw new IllegalArgumentException("FlatMemory is for non-shared memories only");
    this.initialPages = limits.initialPages();
    this.maximumPages = Math.min(limits.maximumPages(), RUNTIME_MAX_PAGES);
    this.size = PAGE_SIZE * initialPages;
    this.bytes = new byte[size];
  }

  /**
   * The interruption check of weft-compiled code, in place of Chicory's {@code
   * Thread.currentThread().isInterrupted()}: for a {@code FlatMemory} it reads the memory's stop
   * flag (see {@link #poll}); for any other memory, or none, it checks the thread's interrupt as
   * Chicory does. Called from generated code only.
   */
  public static void checkInterruption(Memory memory) {
    if (memory instanceof FlatMemory f) {
      long[] p = f.poll;
      if (p[STOP] != 0) throw new ChicoryInterruptedException("Thread interrupted");
      p[TOUCH] = 0;
    } else if (Thread.currentThread().isInterrupted()) {
      throw new ChicoryInterruptedException("Thread interrupted");
    }
  }

  /**
   * Makes compiled code running on this memory stop at its next loop back-edge or call, with
   * Chicory's {@link ChicoryInterruptedException}. Any thread may call it.
   */
  public void requestStop() {
    POLL.setVolatile(poll, STOP, 1L);
  }

  /** Whether a stop was requested since the memory was made or last {@linkplain #zero zeroed}. */
  public boolean stopRequested() {
    return (long) POLL.getVolatile(poll, STOP) != 0;
  }

  @Override
  public int pages() {
    return size / PAGE_SIZE;
  }

  @Override
  public int grow(int delta) {
    int before = pages();
    int after = before + delta;
    if (delta < 0 || after > maximumPages || after < before) return -1;
    if (delta == 0) return before;
    int newSize = PAGE_SIZE * after;
    if (!reserved && ++grows > EXACT_GROWS) reserved = true;
    if (!reserved) {
      bytes = Arrays.copyOf(bytes, newSize);
    } else if (newSize > bytes.length) {
      long wanted = Math.max(newSize, bytes.length + (bytes.length >> 1));
      bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, (long) PAGE_SIZE * maximumPages));
    }
    size = newSize;
    return before;
  }

  @Override
  public int initialPages() {
    return initialPages;
  }

  @Override
  public int maximumPages() {
    return maximumPages;
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public Object lock(int address) {
    return this;
  }

  @Override
  public int waitOn(int address, int expected, long timeout) {
    throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
  }

  @Override
  public int waitOn(int address, long expected, long timeout) {
    throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
  }

  @Override
  public int notify(int address, int maxThreads) {
    return 0;
  }

  @Override
  public void initialize(Instance instance, DataSegment[] segments) {
    initialize(instance, segments, 0);
  }

  @Override
  public void initialize(Instance instance, DataSegment[] segments, int memoryIndex) {
    this.dataSegments = segments;
    if (segments == null) return;
    for (DataSegment s : segments) {
      if (s instanceof ActiveDataSegment a) {
        if (a.index() != memoryIndex) continue;
        int offset =
            (int) ConstantEvaluators.computeConstantValue(instance, a.offsetInstructions())[0];
        byte[] data = a.data();
        if (!inBounds(offset, data.length, size)) {
          throw new UninstantiableException(outOfBounds(offset, data.length));
        }
        System.arraycopy(data, 0, bytes, offset, data.length);
      } else if (!(s instanceof PassiveDataSegment)) {
        throw new ChicoryException("Data segment should be active or passive: " + s);
      }
    }
  }

  @Override
  public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
    write(dest, dataSegments[segmentId].data(), offset, size);
  }

  @Override
  public void drop(int segment) {
    dataSegments[segment] = PassiveDataSegment.EMPTY;
  }

  @Override
  public void write(int addr, byte[] data, int offset, int size) {
    if (!inBounds(offset, size, data.length) || !inBounds(addr, size, this.size))
      throw trap(addr, size);
    System.arraycopy(data, offset, bytes, addr, size);
  }

  @Override
  public byte[] readBytes(int addr, int len) {
    if (!inBounds(addr, len, size)) throw trap(addr, len);
    return Arrays.copyOfRange(bytes, addr, addr + len);
  }

  /** Zeroes the contents and clears a stop request, for reuse by the next task. */
  @Override
  public void zero() {
    Arrays.fill(bytes, 0, size, (byte) 0); // past size the bytes are zero already
    POLL.setVolatile(poll, STOP, 0L);
  }

  @Override
  public void fill(byte value, int fromIndex, int toIndex) {
    if (!inBounds(fromIndex, toIndex - fromIndex, size)) throw trap(fromIndex, toIndex - fromIndex);
    Arrays.fill(bytes, fromIndex, toIndex, value);
  }

  @Override
  public void copy(int dest, int src, int size) {
    if (!inBounds(dest, size, this.size)) throw trap(dest, size);
    if (!inBounds(src, size, this.size)) throw trap(src, size);
    System.arraycopy(bytes, src, bytes, dest, size); // overlap-safe, as memory.copy requires
  }

  @Override
  public byte read(int addr) {
    if (reserved) checkSize(addr, 1);
    try {
      return bytes[addr];
    } catch (IndexOutOfBoundsException e) {
      throw trap(addr, 1);
    }
  }

  @Override
  public void writeByte(int addr, byte data) {
    if (reserved) checkSize(addr, 1);
    try {
      bytes[addr] = data;
    } catch (IndexOutOfBoundsException e) {
      throw trap(addr, 1);
    }
  }

  @Override
  public short readShort(int addr) {
    if (reserved) checkSize(addr, 2);
    try {
      return (short) SHORT.get(bytes, addr);
    } catch (IndexOutOfBoundsException e) {
      throw trap(addr, 2);
    }
  }

  @Override
  public long readU16(int addr) {
    return readShort(addr) & 0xFFFFL;
  }

  @Override
  public void writeShort(int addr, short data) {
    if (reserved) checkSize(addr, 2);
    try {
      SHORT.set(bytes, addr, data);
    } catch (IndexOutOfBoundsException e) {
      throw trap(addr, 2);
    }
  }

  @Override
  public int readInt(int addr) {
    if (reserved) checkSize(addr, 4);
    try {
      return (int) INT.get(bytes, addr);
    } catch (IndexOutOfBoundsException e) {
      throw trap(addr, 4);
    }
  }

  @Override
  public void writeI32(int addr, int data) {
    if (reserved) checkSize(addr, 4);
    try {
      INT.set(bytes, addr, data);
    } catch (IndexOutOfBoundsException e) {
      throw trap(addr, 4);
    }
  }

  @Override
  public long readLong(int addr) {
    if (reserved) checkSize(addr, 8);
    try {
      return (long) LONG.get(bytes, addr);
    } catch (IndexOutOfBoundsException e) {
      throw trap(addr, 8);
    }
  }

  @Override
  public void writeLong(int addr, long data) {
    if (reserved) checkSize(addr, 8);
    try {
      LONG.set(bytes, addr, data);
    } catch (IndexOutOfBoundsException e) {
      throw trap(addr, 8);
    }
  }

  @Override
  public float readFloat(int addr) {
    if (reserved) checkSize(addr, 4);
    try {
      return (float) FLOAT.get(bytes, addr);
    } catch (IndexOutOfBoundsException e) {
      throw trap(addr, 4);
    }
  }

  @Override
  public long readF32(int addr) {
    return readInt(addr);
  }

  @Override
  public void writeF32(int addr, float data) {
    if (reserved) checkSize(addr, 4);
    try {
      FLOAT.set(bytes, addr, data);
    } catch (IndexOutOfBoundsException e) {
      throw trap(addr, 4);
    }
  }

  @Override
  public double readDouble(int addr) {
    if (reserved) checkSize(addr, 8);
    try {
      return (double) DOUBLE.get(bytes, addr);
    } catch (IndexOutOfBoundsException e) {
      throw trap(addr, 8);
    }
  }

  @Override
  public long readF64(int addr) {
    return readLong(addr);
  }

  @Override
  public void writeF64(int addr, double data) {
    if (reserved) checkSize(addr, 8);
    try {
      DOUBLE.set(bytes, addr, data);
    } catch (IndexOutOfBoundsException e) {
      throw trap(addr, 8);
    }
  }

  private void checkSize(int addr, int width) {
    if (addr < 0 || addr > size - width) throw trap(addr, width);
  }

  private static boolean inBounds(int addr, int size, int limit) {
    return addr >= 0 && size >= 0 && addr <= limit && size <= limit - addr;
  }

  private WasmRuntimeException trap(int addr, int size) {
    return new WasmRuntimeException(outOfBounds(addr, size));
  }

  /** Chicory's wording, which weft's trap classification and the spec tests expect. */
  private String outOfBounds(int addr, int size) {
    return "out of bounds memory access: attempted to access address: "
        + addr
        + " but limit is: "
        + size
        + " and size: "
        + size;
  }
}
