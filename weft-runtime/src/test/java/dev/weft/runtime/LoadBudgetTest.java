package dev.weft.runtime;

import static dev.weft.runtime.ModuleLoadingLimitsTest.HEADER;
import static dev.weft.runtime.ModuleLoadingLimitsTest.concat;
import static dev.weft.runtime.ModuleLoadingLimitsTest.leb;
import static dev.weft.runtime.ModuleLoadingLimitsTest.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Loading a module has a time budget (module.loadTimeout): a module that is slow to compile (built
 * here: thousands of functions, within every structural limit) is refused past it naming the limit,
 * the caller is not kept waiting, and under the tiered engine a background compile over it leaves
 * the module running in the interpreter.
 */
class LoadBudgetTest {
  /** {@code functions} functions of {@code ops} (i32.const 1, drop) pairs each; _start is 0. */
  static byte[] manyFunctions(int functions, int ops) {
    ByteArrayOutputStream fsec = new ByteArrayOutputStream();
    fsec.writeBytes(leb(functions));
    for (int i = 0; i < functions; i++) fsec.write(0);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(0); // no locals
    for (int i = 0; i < ops; i++) body.writeBytes(new byte[] {0x41, 1, 0x1a});
    body.write(0x0b);
    byte[] b = body.toByteArray();
    ByteArrayOutputStream code = new ByteArrayOutputStream();
    code.writeBytes(leb(functions));
    for (int i = 0; i < functions; i++) {
      code.writeBytes(leb(b.length));
      code.writeBytes(b);
    }
    return concat(
        HEADER,
        section(1, new byte[] {1, 0x60, 0, 0}),
        section(3, fsec.toByteArray()),
        section(7, concat(leb(1), leb(6), "_start".getBytes(), new byte[] {0, 0})),
        section(10, code.toByteArray()));
  }

  /** 8,000 functions: parsed in about 0.5 s, compiled in 5-7 s (JDK 17, two cores). */
  private static final byte[] SLOW = manyFunctions(8_000, 60);

  private static final byte[] SMALL = ModuleLoadingLimitsTest.command(new byte[] {0x01, 0x0b});

  /** The first compile in a JVM takes a while of its own (class loading, a cold JIT). */
  @org.junit.jupiter.api.BeforeAll
  static void warmUp() {
    try (WeftRuntime w = WeftRuntime.builder().engine(Engine.COMPILER).build()) {
      w.run(ModuleSource.bytes("warm", SMALL), TaskSpec.builder().build());
    }
  }

  @Test
  void aModuleSlowToCompileIsRefusedAtTheBudgetNamingItAndTheRuntimeGoesOn() {
    try (WeftRuntime weft =
        WeftRuntime.builder().engine(Engine.COMPILER).loadTimeout(Duration.ofSeconds(1)).build()) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> weft.load(ModuleSource.bytes("slow", SLOW)))
          .isInstanceOfSatisfying(
              LimitExceededException.class,
              e -> {
                assertThat(e.limit()).isEqualTo("module.loadTimeout");
                assertThat(e.limitValue()).isEqualTo(1000);
                assertThat(e.observed()).isGreaterThanOrEqualTo(1000);
              })
          .hasMessageContaining(
              "loading module 'slow' (parse, validate, compile) took longer than its time budget of 1s (module.loadTimeout)");
      Duration waited = Duration.ofNanos(System.nanoTime() - t0);
      // the whole load takes seconds; the caller is let go at the budget
      assertThat(waited).isLessThan(Duration.ofMillis(2500));

      // the abandoned compile holds one loader thread at most: another module loads and runs
      LoadedModule small = weft.load(ModuleSource.bytes("small", SMALL));
      assertThat(weft.run(small, TaskSpec.builder().build()).exitCode()).hasValue(0);
    }
  }

  @Test
  void theSameModuleIsWithinEveryStructuralLimitAndLoadsWithinTheDefaultBudget() {
    try (WeftRuntime weft = WeftRuntime.builder().engine(Engine.INTERPRETER).build()) {
      LoadedModule m = weft.load(ModuleSource.bytes("slow", SLOW));
      assertThat(weft.run(m, TaskSpec.builder().build()).exitCode()).hasValue(0);
    }
  }

  @Test
  void aBackgroundCompileOverTheBudgetLeavesTheModuleInTheInterpreterForGood()
      throws InterruptedException {
    java.util.List<Runnable> queued =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    try (WeftRuntime tiered =
        WeftRuntime.builder()
            .engine(Engine.TIERED)
            .compilerExecutor(queued::add) // a compiler that never gets to it in time
            .loadTimeout(Duration.ofSeconds(2))
            .build()) {
      ModuleSource hello = ModuleSource.file(Examples.module("hello"));
      LoadedModule m = tiered.load(hello);
      assertThat(queued).hasSize(1);

      long t0 = System.nanoTime();
      assertThat(m.awaitCompiled(Duration.ofSeconds(20)))
          .as("the compile is given up at the budget")
          .isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));

      TaskResult r = tiered.run(m, TaskSpec.builder().parameter("name", "interp").build());
      assertThat(r.phase()).isEqualTo(Phase.Succeeded);
      assertThat(r.engine()).isEqualTo(Engine.INTERPRETER);

      // when the compiler finally runs the job, it keeps the interpreted module for the digest
      queued.get(0).run();
      LoadedModule again =
          tiered.load(
              ModuleSource.bytes(
                  "hello", java.nio.file.Files.readAllBytes(Examples.module("hello"))));
      assertThat(again.engine()).isEqualTo(Engine.INTERPRETER);
      assertThat(again.fromCache()).isTrue();
      assertThat(queued).as("not queued for compiling again").hasSize(1);
      assertThat(tiered.run(again, TaskSpec.builder().parameter("name", "x").build()).phase())
          .isEqualTo(Phase.Succeeded);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aModuleAlreadyCompiledIsFoundByItsDigestAndCountedAsACacheHit() {
    try (WeftRuntime weft =
        WeftRuntime.builder().engine(Engine.COMPILER).loadTimeout(Duration.ofSeconds(5)).build()) {
      assertThat(weft.load(ModuleSource.bytes("small", SMALL)).fromCache()).isFalse();
      LoadedModule again = weft.load(ModuleSource.bytes("small", SMALL));

      assertThat(again.fromCache()).isTrue();
      assertThat(weft.stats().cacheHits()).isEqualTo(1);
      assertThat(weft.stats().cacheMisses()).isEqualTo(1);
    }
  }

  @Test
  void theBudgetMustBePositive() {
    assertThatThrownBy(() -> WeftRuntime.builder().loadTimeout(Duration.ZERO))
        .hasMessageContaining("module.loadTimeout must be positive");
  }
}
