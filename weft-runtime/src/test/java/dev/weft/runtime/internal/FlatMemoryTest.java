package dev.weft.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.weft.runtime.internal.compile.FlatMemory;
import dev.weft.runtime.internal.compile.InterruptPolls;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * weft's flat linear memory behaves as Chicory's paged {@code ByteArrayMemory}: the same module
 * (src/test/resources/memory/bulk.wat) runs on both, interpreted and compiled, and every result and
 * every trap must agree.
 */
class FlatMemoryTest {
  private static final WasmModule BULK = parse("bulk.wasm");

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void dataSegmentsAndBulkOperationsMatchChicory(boolean compiled) {
    List<String> flat = script(instance(compiled, FlatMemory::new));
    assertThat(flat).isEqualTo(script(instance(compiled, ByteArrayMemory::new)));
    if (compiled) assertThat(script(rewritten(FlatMemory::new))).isEqualTo(flat);
    assertThat(flat)
        .contains("init trapped: WasmRuntimeException out of bounds", "grow=-1", "size=3")
        .anyMatch(s -> s.startsWith("sum=") && !s.equals("sum=0"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void randomLoadsAndStoresMatchChicory(boolean compiled) {
    assertThat(random(instance(compiled, FlatMemory::new), 7))
        .isEqualTo(random(instance(compiled, ByteArrayMemory::new), 7));
    if (compiled)
      assertThat(random(rewritten(FlatMemory::new), 7))
          .isEqualTo(random(instance(true, ByteArrayMemory::new), 7));
  }

  @Test
  void aStopRequestIsSeenByThePollAndClearedWhenTheMemoryIsZeroed() {
    FlatMemory m = new FlatMemory(new MemoryLimits(1, 2));
    FlatMemory.checkInterruption(m); // no request: returns
    m.requestStop();
    assertThat(m.stopRequested()).isTrue();
    assertThatThrownBy(() -> FlatMemory.checkInterruption(m))
        .isInstanceOf(ChicoryInterruptedException.class);
    m.zero(); // what the pool does before the next task
    assertThat(m.stopRequested()).isFalse();
    FlatMemory.checkInterruption(m);
  }

  @Test
  void thePollChecksTheThreadsInterruptForOtherMemoriesOrNone() {
    Memory paged = new ByteArrayMemory(new MemoryLimits(1, 2));
    FlatMemory.checkInterruption(paged);
    FlatMemory.checkInterruption(null);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> FlatMemory.checkInterruption(paged))
          .isInstanceOf(ChicoryInterruptedException.class);
      assertThatThrownBy(() -> FlatMemory.checkInterruption(null))
          .isInstanceOf(ChicoryInterruptedException.class);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void activeSegmentPastTheEndFailsInstantiation() {
    WasmModule m = parse("oob-data.wasm");
    assertThatThrownBy(() -> Instance.builder(m).withMemoryFactory(FlatMemory::new).build())
        .isInstanceOf(UninstantiableException.class)
        .hasMessageContaining("out of bounds memory access");
  }

  @Test
  void growStopsAtTheMaximumAndKeepsContents() {
    Memory m = new FlatMemory(new MemoryLimits(1, 3));
    m.writeLong(65528, 0x0102030405060708L);
    assertThat(m.grow(1)).isEqualTo(1);
    assertThat(m.grow(0)).isEqualTo(2);
    assertThat(m.grow(2)).isEqualTo(-1);
    assertThat(m.grow(1)).isEqualTo(2);
    assertThat(m.grow(1)).isEqualTo(-1);
    assertThat(m.pages()).isEqualTo(3);
    assertThat(m.readLong(65528)).isEqualTo(0x0102030405060708L);
    assertThat(m.readInt(3 * 65536 - 4)).isZero();
    assertThatThrownBy(() -> m.readInt(3 * 65536 - 3))
        .hasMessageContaining("out of bounds memory access");
  }

  @Test
  void growingPageByPageTrapsPastTheSizeNotTheCapacity() {
    Memory m = new FlatMemory(new MemoryLimits(1, 64));
    for (int p = 1; p < 40; p++) {
      m.writeByte(p * 65536 - 1, (byte) p);
      assertThat(m.grow(1)).isEqualTo(p);
      int end = (p + 1) * 65536;
      assertThat(m.read(end - 1)).isZero();
      assertThatThrownBy(() -> m.read(end)).hasMessageContaining("out of bounds memory access");
      assertThatThrownBy(() -> m.readLong(end - 4))
          .hasMessageContaining("out of bounds memory access");
      assertThatThrownBy(() -> m.readBytes(end - 1, 2))
          .hasMessageContaining("out of bounds memory access");
      assertThatThrownBy(() -> m.fill((byte) 1, end - 1, end + 1))
          .hasMessageContaining("out of bounds memory access");
    }
    for (int p = 1; p < 40; p++) assertThat(m.read(p * 65536 - 1)).isEqualTo((byte) p);
    assertThat(m.pages()).isEqualTo(40);
  }

  @Test
  void growBeyondWhatTheRuntimeAddressesFails() {
    Memory m = new FlatMemory(new MemoryLimits(1, MemoryLimits.MAX_PAGES));
    assertThat(m.maximumPages()).isEqualTo(Memory.RUNTIME_MAX_PAGES);
    assertThat(m.grow(Memory.RUNTIME_MAX_PAGES)).isEqualTo(-1);
    assertThat(m.grow(Integer.MAX_VALUE)).isEqualTo(-1);
    assertThat(m.pages()).isEqualTo(1);
  }

  @Test
  void bulkOperationsCheckTheirWholeRange() {
    Memory m = new FlatMemory(new MemoryLimits(1, 1));
    assertThatThrownBy(() -> m.fill((byte) 1, 65530, 65537)).hasMessageContaining("out of bounds");
    assertThatThrownBy(() -> m.copy(0, 65535, 2)).hasMessageContaining("out of bounds");
    assertThatThrownBy(() -> m.readBytes(-1, 2)).hasMessageContaining("out of bounds");
    assertThatThrownBy(() -> m.write(65535, new byte[4], 0, 2))
        .hasMessageContaining("out of bounds");
    assertThat(m.readBytes(65536, 0)).isEmpty();
    m.write(65534, new byte[] {9, 8, 7}, 1, 2);
    assertThat(m.readBytes(65534, 2)).containsExactly(8, 7);
    m.copy(1, 0, 10); // overlapping, forwards
    m.zero();
    assertThat(m.readBytes(0, 65536)).containsOnly(0);
  }

  /** A fixed sequence of calls, recording each result or the trap's message. */
  private static List<String> script(Instance i) {
    List<String> out = new ArrayList<>();
    Object[][] calls = {
      {"load32", 16},
      {"load64", 16},
      {"sum", 0, 64},
      {"init", 100, 0, 7},
      {"sum", 100, 7},
      {"init", 200, 3, 4},
      {"load32", 200},
      {"init", 65535, 0, 2},
      {"init", 0, 5, 3},
      {"drop"},
      {"init", 0, 0, 1},
      {"init", 0, 0, 0},
      {"fill", 1000, 0xab, 300},
      {"sum", 990, 320},
      {"fill", 65500, 1, 37},
      {"fill", 65536, 1, 0},
      {"copy", 1100, 1000, 250},
      {"copy", 1001, 1000, 299},
      {"copy", 999, 1000, 299},
      {"sum", 990, 320},
      {"copy", 65530, 0, 7},
      {"size"},
      {"load32", 65533},
      {"load32", 65532},
      {"load32_off", 0},
      {"load32_off", 1},
      {"load8_u", 65535},
      {"load8_u", 65536},
      {"load8_s", 1000},
      {"load16_u", 65535},
      {"store32", 65534, 1},
      {"grow", 1},
      {"load32", 65534},
      {"store32", 65534, -1},
      {"load32", 65534},
      {"load64", 65530},
      {"grow", 2},
      {"grow", 1},
      {"grow", 0},
      {"size"},
      {"grow", 1},
      {"store64", 3 * 65536 - 8, -2L},
      {"load64", 3 * 65536 - 8},
      {"load64", 3 * 65536 - 7},
      {"store8", -1, 1},
      {"load32", -4},
      {"sum", 3 * 65536 - 10, 10},
      {"storef32", 8, 1.5f},
      {"loadf32", 8},
      {"storef64", 8, -2.25d},
      {"loadf64", 8},
      {"store16", 3 * 65536 - 1, 7},
    };
    for (Object[] c : calls) out.add(call(i, c));
    return out;
  }

  /** Stores and loads at random addresses, some past the end, after growing once. */
  private static List<String> random(Instance i, long seed) {
    Random r = new Random(seed);
    String[] ops = {
      "store8", "store16", "store32", "store64", "load8_u", "load16_u", "load32", "load64", "sum"
    };
    List<String> out = new ArrayList<>();
    out.add(call(i, new Object[] {"grow", 1}));
    for (int n = 0; n < 3000; n++) {
      String op = ops[r.nextInt(ops.length)];
      int addr = r.nextInt(10) == 0 ? 2 * 65536 - r.nextInt(9) : r.nextInt(2 * 65536);
      Object[] c =
          switch (op) {
            case "store64" -> new Object[] {op, addr, r.nextLong()};
            case "sum" -> new Object[] {op, addr, r.nextInt(300)};
            default ->
                op.startsWith("store")
                    ? new Object[] {op, addr, r.nextInt()}
                    : new Object[] {op, addr};
          };
      out.add(call(i, c));
    }
    out.add(call(i, new Object[] {"sum", 0, 2 * 65536}));
    return out;
  }

  private static String call(Instance i, Object[] c) {
    long[] args = new long[c.length - 1];
    for (int k = 1; k < c.length; k++) {
      Object a = c[k];
      args[k - 1] =
          a instanceof Float f
              ? Float.floatToRawIntBits(f) & 0xFFFFFFFFL
              : a instanceof Double d
                  ? Double.doubleToRawLongBits(d)
                  : a instanceof Long l ? l : ((Integer) a) & 0xFFFFFFFFL;
    }
    try {
      long[] r = i.export((String) c[0]).apply(args);
      return c[0] + "=" + (r == null || r.length == 0 ? "-" : Long.toString(r[0]));
    } catch (RuntimeException e) {
      String msg = String.valueOf(e.getMessage());
      return c[0]
          + " trapped: "
          + e.getClass().getSimpleName()
          + (msg.contains("out of bounds") ? " out of bounds" : " " + msg);
    }
  }

  private static Instance instance(boolean compiled, Function<MemoryLimits, Memory> memory) {
    Instance.Builder b = Instance.builder(BULK).withMemoryFactory(memory::apply);
    if (compiled) b.withMachineFactory(MachineFactoryCompiler.compile(BULK));
    return b.build();
  }

  /** Compiled as weft compiles it: Chicory's classes with weft's interruption check. */
  private static Instance rewritten(Function<MemoryLimits, Memory> memory) {
    return Instance.builder(BULK)
        .withMemoryFactory(memory::apply)
        .withMachineFactory(
            InterruptPolls.compile(MachineFactoryCompiler.builder(BULK), Optional.empty(), "bulk"))
        .build();
  }

  private static WasmModule parse(String name) {
    try (InputStream in = FlatMemoryTest.class.getResourceAsStream("/memory/" + name)) {
      return Parser.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
