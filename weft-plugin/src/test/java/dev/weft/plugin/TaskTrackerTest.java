package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Liveness sees a worker that never comes back from its task. */
class TaskTrackerTest {
  @Test
  void aWorkerOnOneTaskPastItsTimeoutIsReportedWedgedAndNotBefore() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (TaskTracker tracker =
        new TaskTracker(2, 4, Duration.ofMinutes(1), Duration.ofSeconds(10), 1 << 20)) {
      TaskTracker.Entry e =
          tracker.submit(
              "k",
              () -> {
                started.countDown();
                try {
                  release.await();
                } catch (InterruptedException x) {
                  Thread.currentThread().interrupt();
                }
                return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
              });
      started.await();
      long now = System.nanoTime();

      assertThat(tracker.wedged(now)).isEmpty();
      assertThat(tracker.wedged(now + Duration.ofSeconds(41).toNanos()))
          .hasValueSatisfying(
              w ->
                  assertThat(w)
                      .contains("1 of 2 workers wedged")
                      .contains("task timeout of 10s plus 30s")
                      .contains("weft-task-"));

      release.countDown();
      e.reply.get();
      assertThat(tracker.wedged(now + Duration.ofSeconds(41).toNanos()))
          .as("a finished worker is not wedged")
          .isEmpty();
    }
  }
}
