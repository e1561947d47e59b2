package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.runtime.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Requeue, idempotency, backpressure and shutdown, with the endless-loop module as the long task
 * and short limits so the tests stay quick. Each test runs its own server.
 */
class LongTasksTest {
  private static final String LOOP = "{\"module\":{\"file\":\"adversarial/loop.wasm\"}}";

  private static PluginServer server(
      int workers, int queue, Duration requeueAfter, Duration timeout) {
    return PluginServer.start(
        ServerConfig.defaults(Optional.empty())
            .withModuleDir(PluginClient.EXAMPLES)
            .withWorkers(workers, queue)
            .withRequeue(requeueAfter, Duration.ofSeconds(1))
            .withLimits(Limits.defaults().withTimeout(timeout)));
  }

  private static double tasksTotal(PluginClient client) throws Exception {
    double sum = 0;
    for (String line : client.get("/metrics").body().split("\n")) {
      if (line.startsWith("weft_tasks_total{"))
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  @Test
  void taskStillRunningIsAnsweredRunningWithRequeueAndTheRepeatAttachesToIt() throws Exception {
    try (PluginServer s = server(2, 8, Duration.ofMillis(300), Duration.ofMillis(1500))) {
      PluginClient argo = new PluginClient(s, null);
      String body = PluginClient.step("uid-long", LOOP, "");

      PluginClient.Reply first = argo.execute(body);
      assertThat(first.phase()).isEqualTo("Running");
      assertThat(first.body().path("requeue").asText()).isEqualTo("1s");

      PluginClient.Reply last = first;
      for (int i = 0; i < 20 && last.phase().equals("Running"); i++)
        last = argo.execute(body); // what the agent does after requeue
      assertThat(last.phase()).isEqualTo("Failed");
      assertThat(last.message()).contains("time limit of 1500ms");
      assertThat(tasksTotal(argo)).as("the repeated requests attached to one task").isEqualTo(1.0);
    }
  }

  @Test
  void successfulResultIsReturnedAgainWithoutRunningTwice() throws Exception {
    try (PluginServer s = server(2, 8, Duration.ofSeconds(5), Duration.ofSeconds(5))) {
      PluginClient argo = new PluginClient(s, null);
      String body =
          PluginClient.step(
              "uid-idem",
              "{\"module\":{\"file\":\"hello/hello.wasm\"}}",
              "\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"once\"}]}");

      PluginClient.Reply a = argo.execute(body);
      PluginClient.Reply b = argo.execute(body);
      assertThat(b.body()).isEqualTo(a.body());
      assertThat(tasksTotal(argo)).isEqualTo(1.0);

      argo.execute(body.replace("uid-idem", "uid-other")); // another workflow: a new task
      assertThat(tasksTotal(argo)).isEqualTo(2.0);
    }
  }

  @Test
  void failedResultIsNotReusedSoArgoRetriesRunAgain() throws Exception {
    try (PluginServer s = server(2, 8, Duration.ofSeconds(5), Duration.ofSeconds(5))) {
      PluginClient argo = new PluginClient(s, null);
      String body =
          PluginClient.step("uid-retry", "{\"module\":{\"file\":\"adversarial/fail.wasm\"}}", "");

      assertThat(argo.execute(body).phase()).isEqualTo("Failed");
      assertThat(argo.execute(body).phase()).isEqualTo("Failed");
      assertThat(tasksTotal(argo)).isEqualTo(2.0);
    }
  }

  @Test
  void fullQueueAnswers503WithAReasonAndTheServerStaysUp() throws Exception {
    // tasks outlive the test's requests (6 s): the refused ones are refused for the queue, not for
    // timing
    try (PluginServer s = server(1, 1, Duration.ofMillis(500), Duration.ofSeconds(6))) {
      PluginClient argo = new PluginClient(s, null);
      ExecutorService clients = Executors.newFixedThreadPool(4);
      try {
        List<Future<PluginClient.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          String body = PluginClient.step("uid-busy-" + i, LOOP, "");
          replies.add(clients.submit(() -> argo.execute(body)));
          // the next request is sent once this one is accounted for: running, queued, or refused
          int expected = i;
          if (expected < 2) {
            awaitMetrics(
                argo,
                m -> gauge(m, "weft_tasks_running") + gauge(m, "weft_queue_depth") >= expected + 1);
          } else {
            replies.get(expected).get(10, java.util.concurrent.TimeUnit.SECONDS);
          }
        }
        int busy = 0;
        for (Future<PluginClient.Reply> f : replies) {
          PluginClient.Reply r = f.get();
          if (r.status() == 503) {
            busy++;
            assertThat(r.body().path("error").asText()).contains("busy").contains("--queue");
          } else {
            assertThat(r.status()).isEqualTo(200);
          }
        }
        assertThat(busy).as("one running, one queued, the rest refused").isEqualTo(2);
      } finally {
        clients.shutdownNow();
      }
      assertThat(argo.get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void shutdownFinishesTheTaskInFlightBeforeStopping() throws Exception {
    PluginServer s = server(1, 4, Duration.ofSeconds(10), Duration.ofMillis(1200));
    PluginClient argo = new PluginClient(s, null);
    ExecutorService client = Executors.newSingleThreadExecutor();
    try {
      Future<PluginClient.Reply> inFlight =
          client.submit(() -> argo.execute(PluginClient.step("uid-shutdown", LOOP, "")));
      awaitMetrics(argo, m -> gauge(m, "weft_tasks_running") == 1);
      s.close(); // what SIGTERM does, once the task is surely running

      PluginClient.Reply r = inFlight.get();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.phase()).as("finished, not cut off").isEqualTo("Failed");
      assertThat(r.message()).contains("time limit of 1200ms");
    } finally {
      client.shutdownNow();
    }
  }

  /**
   * Polls /metrics until the condition holds (bounded: 10 s); ordering by state, not by sleeping.
   */
  private static void awaitMetrics(
      PluginClient argo, java.util.function.Predicate<String> condition) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.test(argo.get("/metrics").body())) {
      if (System.nanoTime() > until)
        throw new AssertionError(
            "the server never reached the expected state:\n" + argo.get("/metrics").body());
      Thread.onSpinWait();
    }
  }

  private static double gauge(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " "))
        return Double.parseDouble(line.substring(name.length() + 1).trim());
    }
    return 0;
  }
}
