package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every limit, breached by a real adversarial module, fails the task naming the limit and its
 * value.
 */
class LimitsTest {
  private static final WeftRuntime WEFT = WeftRuntime.create();

  @Test
  void endlessLoopIsStoppedAtTheDeadline() {
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("loop")),
            TaskSpec.builder()
                .limits(Limits.defaults().withTimeout(Duration.ofMillis(300)))
                .build());

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure()).contains(FailureKind.TIMEOUT);
    assertThat(r.message()).contains("time limit of 300ms");
    assertThat(r.exitCode()).isEmpty();
    assertThat(Thread.currentThread().isInterrupted())
        .as("the deadline's interrupt is cleared")
        .isFalse();
  }

  /**
   * A loop that touches neither memory nor calls anything: {@code (func (export "_start") (local
   * i32) (loop (local.set 0 (i32.add (local.get 0) (i32.const 1))) (br 0)))}, with a one-page
   * memory. Compiled code polls its memory's stop flag at the back-edge (InterruptPolls); if the
   * JIT hoisted that read out of the loop, this would never stop.
   */
  static byte[] registerLoop() {
    byte[] body = {
      0x01,
      0x01,
      0x7f, // one i32 local
      0x03,
      0x40, // loop
      0x20,
      0x00,
      0x41,
      0x01,
      0x6a,
      0x21,
      0x00, // local.get 0, i32.const 1, i32.add, local.set 0
      0x0c,
      0x00, // br 0
      0x0b,
      0x0b // end loop, end function
    };
    return startModule(body);
  }

  /**
   * Nested loops where only the inner one spins, storing to memory on every pass: {@code (func
   * (export "_start") (local i32 i32) (local.set 1 (i32.const 1)) (loop (loop (local.set 0 (i32.add
   * (local.get 0) (i32.const 1))) (i32.store8 (i32.const 0) (local.get 0)) (br_if 0 (local.get 1)))
   * (br 0)))}. The outer loop's head is never reached again, so a scheme that polled only at outer
   * loops, or only every so many outer passes, would never stop it.
   */
  static byte[] innerLoopSpins() {
    byte[] body = {
      0x01,
      0x02,
      0x7f, // two i32 locals
      0x41,
      0x01,
      0x21,
      0x01, // local.set 1 (i32.const 1)
      0x03,
      0x40, // outer loop
      0x03,
      0x40, // inner loop
      0x20,
      0x00,
      0x41,
      0x01,
      0x6a,
      0x21,
      0x00, // local.set 0 (i32.add (local.get 0) (i32.const 1))
      0x41,
      0x00,
      0x20,
      0x00,
      0x3a,
      0x00,
      0x00, // i32.store8 (i32.const 0) (local.get 0)
      0x20,
      0x01,
      0x0d,
      0x00, // br_if 0 (local.get 1): back to the inner loop's head
      0x0b, // end inner loop
      0x0c,
      0x00, // br 0: back to the outer loop's head
      0x0b,
      0x0b // end outer loop, end function
    };
    return startModule(body);
  }

  /** A module with a one-page memory whose exported {@code _start} has {@code body}. */
  private static byte[] startModule(byte[] body) {
    java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream();
    m.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    m.writeBytes(new byte[] {1, 4, 1, 0x60, 0, 0}); // type 0: () -> ()
    m.writeBytes(new byte[] {3, 2, 1, 0}); // function 0 has type 0
    m.writeBytes(new byte[] {5, 3, 1, 0, 1}); // one memory, one page
    m.writeBytes(new byte[] {7, 10, 1, 6, '_', 's', 't', 'a', 'r', 't', 0, 0}); // export _start
    m.writeBytes(new byte[] {10, (byte) (body.length + 2), 1, (byte) body.length});
    m.writeBytes(body);
    return m.toByteArray();
  }

  @Test
  void compiledLoopWithoutMemoryAccessesOrCallsIsStoppedAtTheDeadline() {
    // long enough for the JVM's optimising compiler to have compiled the loop when the deadline
    // passes
    TaskResult r =
        WEFT.run(
            ModuleSource.bytes("spin.wasm", registerLoop()),
            TaskSpec.builder()
                .limits(Limits.defaults().withTimeout(Duration.ofMillis(1500)))
                .build());

    assertThat(r.failure()).contains(FailureKind.TIMEOUT);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void compiledEndlessLoopStopsWhenItsThreadIsInterrupted() throws Exception {
    stopsWhenItsThreadIsInterrupted(registerLoop());
  }

  @Test
  void compiledInnerLoopThatSpinsIsStoppedAtTheDeadline() throws Exception {
    // on a daemon thread, so that a loop the deadline fails to stop fails this test instead of
    // hanging the build
    CompletableFuture<TaskResult> result = new CompletableFuture<>();
    Thread worker =
        new Thread(
            () ->
                result.complete(
                    WEFT.run(
                        ModuleSource.bytes("inner-spin.wasm", innerLoopSpins()),
                        TaskSpec.builder()
                            .limits(Limits.defaults().withTimeout(Duration.ofMillis(1500)))
                            .build())));
    worker.setDaemon(true);
    worker.start();

    TaskResult r = result.get(60, TimeUnit.SECONDS);
    assertThat(r.failure()).contains(FailureKind.TIMEOUT);
  }

  @Test
  void compiledInnerLoopThatSpinsStopsWhenItsThreadIsInterrupted() throws Exception {
    stopsWhenItsThreadIsInterrupted(innerLoopSpins());
  }

  private static void stopsWhenItsThreadIsInterrupted(byte[] module) throws Exception {
    LoadedModule spin = WEFT.load(ModuleSource.bytes("spin.wasm", module));
    assertThat(spin.engine()).isEqualTo(Engine.COMPILER);
    CompletableFuture<TaskResult> result = new CompletableFuture<>();
    Thread worker =
        new Thread(
            () ->
                result.complete(
                    WEFT.run(
                        spin,
                        TaskSpec.builder()
                            .limits(Limits.defaults().withTimeout(Duration.ofMinutes(5)))
                            .build())));
    worker.setDaemon(true);
    worker.start();
    // interrupted once the loop has run a second of CPU time: by then the JIT has compiled it
    // (state, not a wall-clock guess: a descheduled thread gains no CPU time)
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (threads.getThreadCpuTime(worker.getId()) < TimeUnit.SECONDS.toNanos(1)
        && !result.isDone()
        && System.nanoTime() < until) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    assertThat(result.isDone()).as("the loop is still running").isFalse();
    worker.interrupt();

    TaskResult r = result.get(60, TimeUnit.SECONDS);
    assertThat(r.failure()).contains(FailureKind.CANCELLED);
  }

  @Test
  void endlessLoopIsStoppedInTheInterpreterToo() {
    WeftRuntime interp = WeftRuntime.builder().engine(Engine.INTERPRETER).build();
    TaskResult r =
        interp.run(
            ModuleSource.file(Examples.adversarial("loop")),
            TaskSpec.builder()
                .limits(Limits.defaults().withTimeout(Duration.ofMillis(200)))
                .build());

    assertThat(r.failure()).contains(FailureKind.TIMEOUT);
  }

  @Test
  void memoryGrowerHitsTheMemoryLimit() {
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("grow")),
            TaskSpec.builder().limits(Limits.defaults().withMemoryBytes(16L << 20)).build());

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure()).contains(FailureKind.MEMORY_LIMIT);
    assertThat(r.message()).contains("memory limit of 16MiB");
    assertThat(r.peakMemoryBytes()).isLessThanOrEqualTo(16L << 20).isGreaterThan(14L << 20);
    assertThat(r.stderrTail()).contains("grow: out of memory after");
  }

  @Test
  void moduleWhoseInitialMemoryExceedsTheLimitFailsBeforeRunning() {
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.module("hello")),
            TaskSpec.builder().limits(Limits.defaults().withMemoryBytes(64 * 1024)).build());

    assertThat(r.failure()).contains(FailureKind.MEMORY_LIMIT);
    assertThat(r.message()).contains("initial linear memory").contains("memory limit of 64KiB");
    assertThat(r.stdoutTail()).isEmpty();
  }

  @Test
  void unboundedRecursionExhaustsTheStackNamingTheFunction() {
    TaskResult r =
        WEFT.run(ModuleSource.file(Examples.adversarial("recurse")), TaskSpec.builder().build());

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure())
        .hasValueSatisfying(k -> assertThat(k).isIn(FailureKind.STACK_EXHAUSTED, FailureKind.TRAP));
    assertThat(r.message()).contains("descend");
  }

  @Test
  void stdoutFloodKeepsTheTailAndNotesTruncation() {
    TaskResult r =
        WEFT.run(ModuleSource.file(Examples.adversarial("flood")), TaskSpec.builder().build());

    assertThat(r.phase()).isEqualTo(Phase.Succeeded);
    assertThat(r.stdoutTruncated()).isTrue();
    // compare lengths and ends, not the strings: a failure would print megabytes
    assertThat(r.stdoutTail().length()).isEqualTo(1 << 20);
    assertThat(r.stdoutTail().endsWith("END OF FLOOD\n")).isTrue();
    assertThat(r.result().length()).isEqualTo(256 * 1024);
    assertThat(r.result().endsWith("END OF FLOOD")).isTrue();
  }

  @Test
  void stdoutCapIsConfigurable() {
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("flood")),
            TaskSpec.builder().limits(Limits.defaults().withMaxStdoutBytes(1000)).build());

    assertThat(r.stdoutTail().length()).isEqualTo(1000);
    assertThat(r.stdoutTail().endsWith("END OF FLOOD\n")).isTrue();
  }

  @Test
  void oversizedResultJsonFailsNamingTheLimit() {
    TaskResult r =
        WEFT.run(ModuleSource.file(Examples.adversarial("bigresult")), TaskSpec.builder().build());

    assertThat(r.failure()).contains(FailureKind.OUTPUT_TOO_LARGE);
    assertThat(r.message())
        .contains("result.json")
        .contains("limit of 1MiB")
        .contains("maxResultJson");
  }

  @Test
  void oversizedOutputParameterInResultJsonFailsNamingTheLimit() {
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("bigresult")),
            TaskSpec.builder().limits(Limits.defaults().withMaxResultJsonBytes(8L << 20)).build());

    assertThat(r.failure()).contains(FailureKind.OUTPUT_TOO_LARGE);
    assertThat(r.message()).contains("output parameter limit of 256KiB");
  }

  @Test
  void oversizedOutputParameterFileFailsNamingTheLimit() {
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("bigparam")),
            TaskSpec.builder()
                .outputParameter(OutputParameterSpec.fromPath("big", "/tmp/big.txt"))
                .build());

    assertThat(r.failure()).contains(FailureKind.OUTPUT_TOO_LARGE);
    assertThat(r.message()).contains("output parameter 'big'").contains("256KiB");
  }

  @Test
  void filesBeyondTheSandboxLimitFailNamingIt() {
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("fill")),
            TaskSpec.builder().limits(Limits.defaults().withMaxSandboxBytes(1L << 20)).build());

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure()).contains(FailureKind.SANDBOX_FULL);
    assertThat(r.message())
        .contains("limit of 1MiB")
        .contains("limits.maxSandbox")
        .contains("exit code 1");
    assertThat(r.stderrTail()).contains("fill: write failed after");
  }

  @Test
  void inputArtifactsBeyondTheSandboxLimitFailBeforeTheRun(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    java.nio.file.Path big =
        java.nio.file.Files.write(tmp.resolve("big.bin"), new byte[600 * 1024]);
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.module("wc")),
            TaskSpec.builder()
                .inputArtifact("text", "/text", big)
                .limits(Limits.defaults().withMaxSandboxBytes(512 * 1024))
                .build());

    assertThat(r.failure()).contains(FailureKind.SANDBOX_FULL);
    assertThat(r.message()).contains("input artifacts").contains("512KiB");
    assertThat(r.stdoutTail()).isEmpty();
  }

  @Test
  void limitsRejectNonsenseNamingTheField() {
    assertThatThrownBy(() -> Limits.defaults().withMemoryBytes(1000))
        .hasMessageContaining("limits.memory");
    assertThatThrownBy(() -> Limits.defaults().withTimeout(Duration.ZERO))
        .hasMessageContaining("limits.timeout");
    assertThatThrownBy(() -> Limits.parseBytes("--memory", "lots"))
        .hasMessageContaining("--memory")
        .hasMessageContaining("lots");
    assertThatThrownBy(() -> Limits.parseBytes("--memory", "5 parsecs"))
        .hasMessageContaining("unknown size unit 'parsecs'");
    assertThatThrownBy(() -> Limits.parseDuration("--timeout", "5 years"))
        .hasMessageContaining("--timeout");
    assertThatThrownBy(() -> Limits.parseBytes("limits.memory", "64m"))
        .hasMessageContaining("ambiguous")
        .hasMessageContaining("Mi");
  }

  @Test
  void sizesAndDurationsParseAsDocumented() {
    assertThat(Limits.parseBytes("f", "64MiB")).isEqualTo(64L << 20);
    assertThat(Limits.parseBytes("f", "64Mi")).isEqualTo(64L << 20);
    assertThat(Limits.parseBytes("f", "1G")).isEqualTo(1_000_000_000L);
    assertThat(Limits.parseBytes("f", "512")).isEqualTo(512);
    assertThat(Limits.parseDuration("f", "1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Limits.parseDuration("f", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Limits.parseDuration("f", "2")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Limits.formatBytes(256L << 20)).isEqualTo("256MiB");
    assertThat(Limits.formatDuration(Duration.ofSeconds(90))).isEqualTo("1m30s");
  }
}
