package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Every task reserves its memory and sandbox from one budget derived from the heap; what cannot be
 * reserved is refused, by name.
 */
class MemoryBudgetTest {
  private static final long MIB = 1L << 20;

  @Test
  void defaultsForTheManifestsHeapFitTwoTasksWithTheirStagedArtifacts() {
    long heap = 768 * MIB;
    Limits l = Limits.forHeap(heap, 2);

    long perTask =
        l.memoryBytes()
            + l.maxSandboxBytes()
            + l.maxSandboxBytes(); // memory + sandbox + staged inputs
    assertThat(2 * perTask).isLessThanOrEqualTo(MemoryBudget.forHeap(heap));
    assertThat(l.maxSandboxBytes()).isLessThan(heap / 4);
    assertThat(l.memoryBytes()).isEqualTo(64 * MIB);
  }

  @Test
  void aBigHeapKeepsTheUsualDefaults() {
    Limits l = Limits.forHeap(16L << 30, 2);

    assertThat(l.memoryBytes()).isEqualTo(256 * MIB);
    assertThat(l.maxSandboxBytes()).isEqualTo(1L << 30);
  }

  @Test
  void aTaskWhoseLimitsCannotBeReservedIsRefusedNamingTheBudgetAndTheLimits() {
    try (WeftRuntime weft =
        WeftRuntime.builder().memoryBudget(MemoryBudget.of(100 * MIB)).build()) {
      TaskResult r =
          weft.run(
              ModuleSource.file(Examples.module("hello")),
              TaskSpec.builder()
                  .limits(Limits.defaults().withMemoryBytes(64 * MIB).withMaxSandboxBytes(64 * MIB))
                  .build());

      assertThat(r.phase()).isEqualTo(Phase.Error);
      assertThat(r.failure()).contains(FailureKind.ADMISSION);
      assertThat(r.message())
          .contains("host memory budget of 100MiB")
          .contains("limits.memory 64MiB")
          .contains("limits.maxSandbox 64MiB")
          .contains("cannot reserve 128MiB");
      assertThat(weft.memoryBudget().reservedBytes()).isZero();
    }
  }

  @Test
  void aReservationHeldElsewhereRefusesTheNextTaskOnceItHasWaitedItsTimeout() {
    try (WeftRuntime weft =
        WeftRuntime.builder().memoryBudget(MemoryBudget.of(200 * MIB)).build()) {
      TaskSpec spec =
          TaskSpec.builder()
              .parameter("name", "budget")
              .limits(
                  Limits.defaults()
                      .withMemoryBytes(32 * MIB)
                      .withMaxSandboxBytes(32 * MIB)
                      .withTimeout(java.time.Duration.ofMillis(200)))
              .build();
      LoadedModule hello = weft.load(ModuleSource.file(Examples.module("hello")));

      MemoryBudget.Reservation other = weft.memoryBudget().reserve(150 * MIB, "another task");
      TaskResult refused = weft.run(hello, spec);
      other.close();
      other.close(); // closing twice gives back once
      TaskResult ran =
          weft.run(
              hello,
              spec.toBuilder()
                  .limits(spec.limits().withTimeout(java.time.Duration.ofSeconds(60)))
                  .build());

      assertThat(refused.failure()).contains(FailureKind.ADMISSION);
      assertThat(refused.message()).contains("50MiB left");
      assertThat(ran.phase()).isEqualTo(Phase.Succeeded);
      assertThat(weft.memoryBudget().reservedBytes()).isZero();
    }
  }

  @Test
  void aTaskWaitsForMemoryHeldElsewhereAndRunsOnceItIsGivenBack() throws Exception {
    try (WeftRuntime weft =
        WeftRuntime.builder().memoryBudget(MemoryBudget.of(200 * MIB)).build()) {
      TaskSpec spec =
          TaskSpec.builder()
              .parameter("name", "waits")
              .limits(
                  Limits.defaults()
                      .withMemoryBytes(32 * MIB)
                      .withMaxSandboxBytes(32 * MIB)
                      .withTimeout(java.time.Duration.ofSeconds(60)))
              .build();
      LoadedModule hello = weft.load(ModuleSource.file(Examples.module("hello")));
      MemoryBudget.Reservation other = weft.memoryBudget().reserve(150 * MIB, "another task");
      java.util.concurrent.CompletableFuture<TaskResult> waiting =
          new java.util.concurrent.CompletableFuture<>();
      Thread t = new Thread(() -> waiting.complete(weft.run(hello, spec)), "waiting-task");
      t.start();
      // ordered by the task thread's state, not by sleeping: it is parked in the budget's wait
      long until = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
      while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < until)
        Thread.onSpinWait();
      assertThat(waiting).isNotDone();
      other.close();

      TaskResult r = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(r.phase()).as(r.message()).isEqualTo(Phase.Succeeded);
      assertThat(weft.memoryBudget().reservedBytes()).isZero();
    }
  }

  @Test
  void theRefusalCarriesTheLimitItsValueAndWhatWasAsked() {
    MemoryBudget b = MemoryBudget.of(10 * MIB);

    assertThatThrownBy(() -> b.reserve(11 * MIB, "staging"))
        .isInstanceOfSatisfying(
            LimitExceededException.class,
            e -> {
              assertThat(e.limit()).isEqualTo("host memory budget");
              assertThat(e.limitValue()).isEqualTo(10 * MIB);
              assertThat(e.observed()).isEqualTo(11 * MIB);
            })
        .hasMessageContaining("for staging");
  }
}
