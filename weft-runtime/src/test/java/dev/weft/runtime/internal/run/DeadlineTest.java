package dev.weft.runtime.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.weft.runtime.internal.compile.FlatMemory;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interrupt sweep runs only while a task with a deadline watches a memory: an idle process is
 * not woken every {@value Deadline#INTERRUPT_POLL_MS} ms. Sweeps are run by hand where the order
 * matters; the timer's own stop is awaited as a state, with a bound.
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
    Deadline.sweep();
    assertThat(Deadline.sweeping()).as("nothing watched: the sweep stopped itself").isFalse();

    Deadline c = Deadline.arm(LONG);
    c.watch(memory());
    assertThat(Deadline.sweeping()).as("the next watch starts it again").isTrue();
    c.close();
    Deadline.sweep();
    assertThat(Deadline.sweeping()).isFalse();
  }

  @Test
  void aRestartedSweepStillPassesOnAnInterrupt() {
    Deadline first = Deadline.arm(LONG);
    first.watch(memory());
    first.close();
    Deadline.sweep();
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
    // the timer's next sweep, due within INTERRUPT_POLL_MS, finds nothing watched
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
