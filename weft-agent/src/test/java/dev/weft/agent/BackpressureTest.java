package dev.weft.agent;

import static dev.weft.agent.ArgoStandIn.hello;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A replica with one worker and a queue of one, on the fabric8 mock API server (stand-in): tasks
 * that do not fit stay in their TaskSet, are counted as deferred, and all run once a worker frees.
 */
class BackpressureTest {
  @Test
  void tasksThatDoNotFitStayInTheTaskSetAndRunLater() throws Exception {
    try (MockApiServer api = new MockApiServer()) {
      ArgoStandIn argo = new ArgoStandIn(api.client);
      argo.installCrd();
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger held = new AtomicInteger();
      Agent agent =
          TestAgents.start(
              api.client,
              TestAgents.config("narrow").withWorkers(1, 1),
              real ->
                  task -> {
                    if (task.taskSet().name().equals("backlog")) {
                      held.incrementAndGet();
                      release
                          .await(); // the first task holds the only worker until the backlog exists
                    }
                    return real.run(task);
                  });
      try {
        argo.awaitWatching("narrow", List.of("narrow"));
        Map<String, String> tasks = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) tasks.put("bl-" + i, hello("n" + i));
        argo.createTaskSet("argo", "backlog", tasks);
        Await.until(
            "the queue is full and the rest deferred",
            Duration.ofSeconds(10),
            // the worker thread may start its task a moment after the queue has filled: wait for
            // both states
            () -> agent.metrics().deferredCount() > 0 && held.get() >= 1);
        assertThat(held.get())
            .as("one task on the worker, one in the queue, none beyond")
            .isEqualTo(1);
        release.countDown();
        for (int i = 0; i < 8; i++)
          assertThat(argo.awaitFinal("argo", "backlog", "bl-" + i).path("phase").asText())
              .isEqualTo("Succeeded");
        for (int i = 0; i < 8; i++)
          assertThat(api.statusPatches("bl-" + i, "Succeeded")).isEqualTo(1);
      } finally {
        agent.close();
      }
    }
  }
}
