package dev.weft.agent;

import static dev.weft.agent.ArgoStandIn.hello;
import static dev.weft.agent.ArgoStandIn.tasks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API misbehaving, on the fabric8 mock API server (stand-in): status patches answered 500, 503
 * and 429, and 409 conflicts, are retried until the result is written once; a watch cut off resumes
 * and the tasks written meanwhile are run; a watch gone silent without closing is replaced.
 */
class ApiFaultsTest {
  static MockApiServer api;
  static ArgoStandIn argo;
  static Relay relay;
  static KubernetesClient throughRelay;
  static Agent agent;

  @BeforeAll
  static void start() throws Exception {
    api = new MockApiServer();
    argo = new ArgoStandIn(api.client);
    argo.installCrd();
    relay = new Relay(api.server.getPort());
    throughRelay =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(api.client.getConfiguration())
                    .withMasterUrl("http://127.0.0.1:" + relay.port())
                    // a cut the client's WebSocket did not notice shows when its next ping
                    // fails (30 s by default, as long as these tests wait)
                    .withWebsocketPingInterval(1_000L)
                    .build())
            .build();
    agent = TestAgents.start(throughRelay, TestAgents.config("faults"), heldWhileNamedHeld());
    argo.awaitWatching("faults", List.of("faults"));
  }

  /** Interrupts seen by tasks of nodes named {@code held-…}, which run until interrupted. */
  static final java.util.concurrent.CountDownLatch HELD_STARTED =
      new java.util.concurrent.CountDownLatch(1);

  static final java.util.concurrent.CountDownLatch HELD_INTERRUPTED =
      new java.util.concurrent.CountDownLatch(1);

  private static java.util.function.UnaryOperator<Tasks.Runner> heldWhileNamedHeld() {
    return real ->
        task -> {
          if (!task.nodeId().startsWith("held-")) return real.run(task);
          HELD_STARTED.countDown();
          try {
            new java.util.concurrent.CountDownLatch(1).await(); // only an interrupt ends it
            throw new AssertionError("unreachable");
          } catch (InterruptedException e) {
            HELD_INTERRUPTED.countDown();
            throw e;
          }
        };
  }

  @AfterAll
  static void stop() throws Exception {
    agent.close();
    throughRelay.close();
    relay.close();
    api.close();
  }

  private static String statusPath(String wf) {
    return "/apis/argoproj.io/v1alpha1/namespaces/argo/workflowtasksets/" + wf + "/status";
  }

  @Test
  void serverErrorsAndThrottlingAreRetriedUntilTheResultIsWritten() throws Exception {
    api.server
        .expect()
        .patch()
        .withPath(statusPath("flaky"))
        .andReturn(500, "{\"kind\":\"Status\",\"message\":\"etcdserver: request timed out\"}")
        .times(2);
    api.server
        .expect()
        .patch()
        .withPath(statusPath("flaky"))
        .andReturn(503, "{\"kind\":\"Status\",\"message\":\"unavailable\"}")
        .once();
    api.server
        .expect()
        .patch()
        .withPath(statusPath("flaky"))
        .andReturn(429, "{\"kind\":\"Status\",\"message\":\"too many requests\"}")
        .once();
    double e500 = agent.metrics().apiErrors("patch-status", 500);
    double e503 = agent.metrics().apiErrors("patch-status", 503);
    double e429 = agent.metrics().apiErrors("patch-status", 429);
    argo.createTaskSet("argo", "flaky", tasks("flaky-1", hello("retry")));
    JsonNode n = argo.awaitFinal("argo", "flaky", "flaky-1");
    assertThat(n.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(agent.metrics().apiErrors("patch-status", 500) - e500).isEqualTo(2);
    assertThat(agent.metrics().apiErrors("patch-status", 503) - e503).isEqualTo(1);
    assertThat(agent.metrics().apiErrors("patch-status", 429) - e429).isEqualTo(1);
    List<MockApiServer.Request> patches =
        api.requests().stream().filter(r -> r.path().equals(statusPath("flaky"))).toList();
    assertThat(patches).hasSizeGreaterThanOrEqualTo(5); // four refused, then written
    assertThat(
            api.requests().stream()
                .filter(r -> r.isStatusPatch() && r.path().equals(statusPath("flaky"))))
        .isNotEmpty();
  }

  @Test
  void aConflictRereadsTheTaskSetAndWritesOnce() throws Exception {
    api.server
        .expect()
        .patch()
        .withPath(statusPath("conflict"))
        .andReturn(
            409,
            "{\"kind\":\"Status\",\"reason\":\"Conflict\",\"message\":\"the object has been modified\"}")
        .times(2);
    argo.createTaskSet("argo", "conflict", tasks("conflict-1", hello("c")));
    JsonNode n = argo.awaitFinal("argo", "conflict", "conflict-1");
    assertThat(n.path("phase").asText()).isEqualTo("Succeeded");
    List<MockApiServer.Request> calls =
        api.requests().stream()
            .filter(r -> r.path().startsWith(statusPath("conflict").replace("/status", "")))
            .toList();
    // after each 409 the TaskSet is read again before the next patch
    for (int i = 0; i < calls.size() - 1; i++) {
      if (calls.get(i).method().equals("PATCH") && i < 2)
        assertThat(calls.get(i + 1).method()).isEqualTo("GET");
    }
    assertThat(api.statusPatches("conflict-1", "Succeeded")).isEqualTo(1);
  }

  @Test
  void aResultIsNotWrittenOverAFinalResultThatAppearedMeanwhile() throws Exception {
    // the agent's patch meets a conflict, and reading the TaskSet again fails a few times;
    // meanwhile
    // "someone" (another replica) writes a final result: the agent must drop its own
    api.server
        .expect()
        .patch()
        .withPath(statusPath("raced"))
        .andReturn(409, "{\"kind\":\"Status\",\"reason\":\"Conflict\"}")
        .once();
    api.server
        .expect()
        .get()
        .withPath(statusPath("raced").replace("/status", ""))
        .andReturn(500, "{\"kind\":\"Status\"}")
        .times(6);
    double dropped = agent.metrics().droppedCount("finished");
    argo.createTaskSet("argo", "raced", tasks("raced-1", hello("r")));
    Await.until(
        "the agent met the conflict",
        Duration.ofSeconds(10),
        () -> api.requests().stream().anyMatch(r -> r.path().equals(statusPath("raced"))));
    // the other replica's write: a merge patch of the status, as the agent's own (no read first)
    var other =
        new KubeApi(api.client)
            .patchStatus(
                new TaskSet.Ref("argo", "raced"),
                "{\"status\":{\"nodes\":{\"raced-1\":{\"phase\":\"Failed\",\"message\":\"by the other replica\"}}}}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(other.code()).isEqualTo(202);
    int mark = api.requests().size();
    Await.until(
        "the agent saw the final result and dropped its own",
        Duration.ofSeconds(15),
        () -> agent.metrics().droppedCount("finished") > dropped);
    assertThat(argo.node("argo", "raced", "raced-1").path("message").asText())
        .isEqualTo("by the other replica");
    assertThat(api.requests().subList(mark, api.requests().size()))
        .as("no patch of the agent's after the other's result")
        .noneMatch(r -> r.method().equals("PATCH") && r.path().equals(statusPath("raced")));
  }

  @Test
  void aWatchWhoseVersionExpiredRelistsAndRunsTasksWrittenMeanwhile() throws Exception {
    argo.createTaskSet("argo", "before-expiry", tasks("be-1", hello("before")));
    argo.awaitFinal("argo", "before-expiry", "be-1");
    int mark = api.requests().size();
    api.expireNextWatches(1);
    relay.cutAll(); // the watch resumes from its last version, which the server no longer has
    argo.createTaskSet("argo", "during-expiry", tasks("de-1", hello("during")));
    JsonNode n = argo.awaitFinal("argo", "during-expiry", "de-1");

    assertThat(n.path("phase").asText()).isEqualTo("Succeeded");
    // The first watch from a resource version after the cut was answered 410 (the agent may list
    // before it, when its client took the cut as an error rather than a close); a list must follow
    // it. Bounded wait: the relist comes after the informer's backoff.
    Await.until(
        () ->
            "a list after the expired watch: "
                + api.requests().subList(mark, api.requests().size()).stream()
                    .map(r -> r.path())
                    .filter(p -> p.contains("tasksets?"))
                    .toList(),
        Duration.ofSeconds(15),
        () -> {
          var after = api.requests().subList(mark, api.requests().size());
          int expired = -1;
          for (int i = 0; i < after.size(); i++) {
            var r = after.get(i);
            if (r.path().contains("/workflowtasksets?")
                && r.path().contains("watch=true")
                && r.path().contains("resourceVersion=")) {
              expired = i;
              break;
            }
          }
          return expired >= 0
              && after.subList(expired + 1, after.size()).stream()
                  .anyMatch(
                      r ->
                          r.method().equals("GET")
                              && r.path().contains("/workflowtasksets?")
                              && !r.path().contains("watch=true"));
        });
    assertThat(agent.ready()).isTrue();
  }

  @Test
  void aCutWatchResumesAndTasksWrittenMeanwhileRun() throws Exception {
    argo.createTaskSet("argo", "before-cut", tasks("bc-1", hello("before")));
    argo.awaitFinal("argo", "before-cut", "bc-1");
    int connections = relay.accepted();
    relay.cutAll();
    argo.createTaskSet("argo", "during-cut", tasks("dc-1", hello("during")));
    JsonNode n = argo.awaitFinal("argo", "during-cut", "dc-1");
    assertThat(n.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(relay.accepted()).as("the agent reconnected").isGreaterThan(connections);
    assertThat(agent.ready()).isTrue();
  }

  @Test
  void aWatchThatGoesSilentWithoutClosingIsReplacedAndTasksWrittenMeanwhileRun() throws Exception {
    argo.createTaskSet("argo", "before-silence", tasks("bs-1", hello("before")));
    argo.awaitFinal("argo", "before-silence", "bs-1");
    int connections = relay.accepted();
    assertThat(relay.silenceWatches()).as("watch connections silenced").isPositive();
    argo.createTaskSet("argo", "during-silence", tasks("ds-1", hello("during")));
    // the watchdog acts after 5 rescan periods (2 s each here) without an event
    JsonNode n = argo.awaitFinal("argo", "during-silence", "ds-1");
    assertThat(n.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(relay.accepted())
        .as("the agent listed and watched again")
        .isGreaterThan(connections);
    assertThat(agent.metrics().watchRestarts()).isPositive();
  }

  @Test
  void aTaskSetDeletedWhileTheWatchWasSilentHasItsRunningTaskCancelledAfterTheRelist()
      throws Exception {
    argo.createTaskSet("argo", "deleted-in-silence", tasks("held-1", hello("held")));
    assertThat(HELD_STARTED.await(30, java.util.concurrent.TimeUnit.SECONDS))
        .as("the held task started")
        .isTrue();
    double restarts = agent.metrics().watchRestarts();
    double cancelled = agent.metrics().cancelledCount();
    assertThat(relay.silenceWatches()).as("watch connections silenced").isPositive();
    argo.delete("argo", "deleted-in-silence"); // no watch tells the agent
    // the watchdog relists after 5 rescan periods (2 s each here) without an event; the list no
    // longer holds the TaskSet, so its task is cancelled as a delete event would have done
    assertThat(HELD_INTERRUPTED.await(60, java.util.concurrent.TimeUnit.SECONDS))
        .as("the deleted workflow's running task was interrupted")
        .isTrue();
    assertThat(agent.metrics().watchRestarts()).isGreaterThan(restarts);
    assertThat(agent.metrics().cancelledCount()).isGreaterThan(cancelled);
    Await.until(
        "the deleted workflow's entries forgotten",
        Duration.ofSeconds(10),
        () ->
            agent.ledgerWorkflows().stream().noneMatch(r -> r.name().equals("deleted-in-silence")));
  }
}
