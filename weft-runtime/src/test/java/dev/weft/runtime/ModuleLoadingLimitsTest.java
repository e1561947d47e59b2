package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Hostile module shapes (built here, byte by byte) are refused before the parser allocates for
 * them, each naming the limit it broke; a module within the limits still loads.
 */
class ModuleLoadingLimitsTest {
  private static final WeftRuntime WEFT = WeftRuntime.builder().engine(Engine.INTERPRETER).build();

  @Test
  void aSectionDeclaringMoreBytesThanTheModuleHasIsRefusedWithoutAllocatingThem() {
    byte[] m = concat(HEADER, new byte[] {1}, leb(1500L << 20), new byte[] {1, 0x60, 0, 0});

    assertThatThrownBy(() -> load("lying", m))
        .isInstanceOf(ModuleFormatException.class)
        .hasMessageContaining("section 1 declares 1572864000 bytes but only 4 are left");
  }

  @Test
  void aMillionTypesAreOverTheTypeLimit() {
    ByteArrayOutputStream types = new ByteArrayOutputStream();
    types.writeBytes(leb(1_000_000));
    for (int i = 0; i < 1_000_000; i++) types.writeBytes(new byte[] {0x60, 0, 0});

    assertThatThrownBy(() -> load("types", concat(HEADER, section(1, types.toByteArray()))))
        .isInstanceOfSatisfying(
            LimitExceededException.class,
            e -> {
              assertThat(e.limit()).isEqualTo("module.maxTypes");
              assertThat(e.limitValue()).isEqualTo(10_000);
              assertThat(e.observed()).isEqualTo(1_000_000);
            })
        .hasMessageContaining("declares 1000000 types, over the limit of 10000 (module.maxTypes)");
  }

  @Test
  void aBrTableWithAMillionTargetsIsOverItsLimit() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x41, 0, 0x0e});
    body.writeBytes(leb(1_000_000));
    for (int i = 0; i <= 1_000_000; i++) body.write(0);
    body.write(0x0b);

    assertThatThrownBy(() -> load("brtable", command(body.toByteArray())))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining(
            "function 0 has a br_table of 1000000 targets, over the limit of 65536 (module.maxBrTableTargets)");
  }

  @Test
  void halfAMillionNestedBlocksAreOverTheNestingLimit() {
    int n = 500_000; // 1.5 MB: within the function body limit
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) body.writeBytes(new byte[] {0x02, 0x40});
    for (int i = 0; i <= n; i++) body.write(0x0b);

    assertThatThrownBy(() -> load("nested", command(body.toByteArray())))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining(
            "function 0 nests blocks 2001 deep, over the limit of 2000 (module.maxNestingDepth)");
  }

  @Test
  void aHugeTableIsRefusedBeforeItIsAllocated() {
    byte[] table = concat(leb(1), new byte[] {0x70, 0}, leb(1L << 31));

    assertThatThrownBy(() -> load("table", concat(HEADER, section(4, table))))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining(
            "declares a table of 2147483648 elements, over the limit of 1000000 (module.maxTableElements)");
  }

  @Test
  void nestingWithinTheLimitStillLoadsAndRuns() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < 500; i++) body.writeBytes(new byte[] {0x02, 0x40});
    for (int i = 0; i <= 500; i++) body.write(0x0b);

    LoadedModule m = load("fine", command(body.toByteArray()));
    TaskResult r = WEFT.run(m, TaskSpec.builder().build());

    assertThat(r.exitCode()).hasValue(0);
  }

  @Test
  void aStartFunctionWithParametersIsRefusedUnderEveryEngine() {
    byte[] type = concat(leb(1), new byte[] {0x60, 1, 0x7f, 0});
    byte[] m =
        concat(
            HEADER,
            section(1, type),
            section(3, new byte[] {1, 0}),
            section(7, export()),
            section(10, concat(leb(1), leb(2), new byte[] {0, 0x0b})));

    for (Engine e : Engine.values()) {
      try (WeftRuntime w = WeftRuntime.builder().engine(e).build()) {
        assertThatThrownBy(() -> w.load(ModuleSource.bytes("typed-start", m)))
            .as(e.toString())
            .isInstanceOf(LinkException.class)
            .hasMessageContaining("exports _start with type [I32] -> []")
            .hasMessageContaining("takes no parameters");
      }
    }
  }

  @Test
  void aFullCompilerQueueLeavesTheModuleRunningInTheInterpreter() {
    try (WeftRuntime tiered =
        WeftRuntime.builder()
            .engine(Engine.TIERED)
            .compilerExecutor(
                r -> {
                  throw new RejectedExecutionException("full");
                })
            .build()) {
      TaskResult r =
          tiered.run(
              ModuleSource.file(Examples.module("hello")),
              TaskSpec.builder().parameter("name", "queue").build());

      assertThat(r.phase()).isEqualTo(Phase.Succeeded);
      assertThat(r.engine()).isEqualTo(Engine.INTERPRETER);
    }
  }

  // --- a tiny module writer -------------------------------------------------------------

  static final byte[] HEADER = {0, 'a', 's', 'm', 1, 0, 0, 0};

  private static LoadedModule load(String name, byte[] bytes) {
    return WEFT.load(ModuleSource.bytes(name, bytes));
  }

  /** A WASI command whose _start has this body (no locals). */
  static byte[] command(byte[] instructions) {
    byte[] body = concat(leb(0), instructions);
    return concat(
        HEADER,
        section(1, new byte[] {1, 0x60, 0, 0}),
        section(3, new byte[] {1, 0}),
        section(7, export()),
        section(10, concat(leb(1), leb(body.length), body)));
  }

  private static byte[] export() {
    return concat(leb(1), leb(6), "_start".getBytes(), new byte[] {0, 0});
  }

  static byte[] section(int id, byte[] content) {
    return concat(new byte[] {(byte) id}, leb(content.length), content);
  }

  static byte[] leb(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    do {
      int b = (int) (v & 0x7f);
      v >>>= 7;
      out.write(v != 0 ? b | 0x80 : b);
    } while (v != 0);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
