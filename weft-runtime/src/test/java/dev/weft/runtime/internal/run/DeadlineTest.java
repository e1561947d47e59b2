package dev.weft.runtime.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.weft.runtime.internal.compile.FlatMemory;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interrupt sweep runs only while a task with a deadline watches a memory, or did within the
 * last {@value Deadline#IDLE_SWEEPS} sweeps: an idle process is not woken every {@value
 * Deadline#INTERRUPT_POLL_MS} ms. Sweeps are run by hand where the order matters; the timer's own
 * stop is awaited as a state, with a bound.
 */
class DeadlineTest {
  private static final Duration LONG = Duration.ofMinutes(5);

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private static FlatMemory memory() {
    return new FlatMemory(new MemoryLimits(1, 1));
  }

  @Test
  void theSweepStartsWithAWatchAndStopsOnceNothingIsWatched() {
    Deadline a = Deadline.arm(LONG);
    Deadline b = Deadline.arm(LONG);
    a.watch(memory());
    b.watch(memory());
    assertThat(Deadline.sweeping()).isTrue();

    a.close();
    Deadline.sweep();
    assertThat(Deadline.sweeping()).as("b is still watched").isTrue();

    b.close();
    for (int i = 1; i < Deadline.IDLE_SWEEPS; i++) Deadline.sweep();
    assertThat(Deadline.sweeping())
        .as("nothing watched for fewer sweeps than the idle limit: still sweeping")
        .isTrue();
    Deadline.sweep();
    assertThat(Deadline.sweeping()).as("nothing watched: the sweep stopped itself").isFalse();

    Deadline c = Deadline.arm(LONG);
    c.watch(memory());
    assertThat(Deadline.sweeping()).as("the next watch starts it again").isTrue();
    c.close();
    idle();
    assertThat(Deadline.sweeping()).isFalse();
  }

  @Test
  void aWatchBetweenSweepsRestartsTheIdleCount() {
    Deadline a = Deadline.arm(LONG);
    a.watch(memory());
    a.close();
    for (int i = 1; i < Deadline.IDLE_SWEEPS; i++) Deadline.sweep();
    Deadline b = Deadline.arm(LONG); // a task between two requests' worth of empty sweeps
    b.watch(memory());
    b.close();
    Deadline.sweep();
    assertThat(Deadline.sweeping()).as("the watch restarted the count").isTrue();
    idle();
    assertThat(Deadline.sweeping()).isFalse();
  }

  /** As many empty sweeps as stop the sweep. */
  private static void idle() {
    for (int i = 0; i < Deadline.IDLE_SWEEPS; i++) Deadline.sweep();
  }

  @Test
  void aRestartedSweepStillPassesOnAnInterrupt() {
    Deadline first = Deadline.arm(LONG);
    first.watch(memory());
    first.close();
    idle();
    assertThat(Deadline.sweeping()).isFalse();

    FlatMemory m = memory();
    try (Deadline d = Deadline.arm(LONG)) {
      d.watch(m);
      assertThat(m.stopRequested()).isFalse();
      Thread.currentThread().interrupt(); // a caller cancelling the task, after the watch
      Deadline.sweep();
      assertThat(m.stopRequested()).isTrue();
    }
  }

  @Test
  void theTimerStopsTheSweepByItselfWhenTheLastTaskEnds() {
    Deadline d = Deadline.arm(LONG);
    d.watch(memory());
    assertThat(Deadline.sweeping()).isTrue();
    d.close();
    // the timer's sweeps, every INTERRUPT_POLL_MS, find nothing watched IDLE_SWEEPS times in a row
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (Deadline.sweeping() && System.nanoTime() < until) Thread.onSpinWait();
    assertThat(Deadline.sweeping()).isFalse();
  }

  @Test
  void theTimerPassesOnAnInterruptWhileATaskIsWatched() {
    FlatMemory m = memory();
    try (Deadline d = Deadline.arm(LONG)) {
      d.watch(m);
      Thread.currentThread().interrupt();
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!m.stopRequested() && System.nanoTime() < until) Thread.onSpinWait();
      assertThat(m.stopRequested()).as("the timer's sweep saw the interrupt").isTrue();
    }
  }
}
