package dev.weft.agent;

import static dev.weft.agent.ArgoStandIn.tasks;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replica stopping while a Wasm task runs past the shutdown grace, on the fabric8 mock API server
 * (stand-in): the task is interrupted and handed back; its node stays Running, without a final
 * result from the interrupted run, for the next owner to run.
 */
class ShutdownTest {
  @Test
  void aTaskStillRunningWhenTheGraceEndsIsHandedBackNotFailed() throws Exception {
    try (MockApiServer api = new MockApiServer()) {
      ArgoStandIn argo = new ArgoStandIn(api.client);
      argo.installCrd();
      Agent agent =
          TestAgents.start(
              api.client,
              TestAgents.config("stopping")
                  .withTiming(
                      Duration.ofMillis(5),
                      Duration.ofMillis(500),
                      Duration.ofSeconds(2),
                      Duration.ZERO));
      argo.awaitWatching("stopping", List.of("stopping"));
      String spin =
          "{\"name\":\"spin\",\"inputs\":{},\"outputs\":{},\"metadata\":{},"
              + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"adversarial/loop.wasm\"},\"limits\":{\"timeout\":\"60s\"}}}}";
      argo.createTaskSet("argo", "stopping", tasks("stop-1", spin));
      argo.await(
          "argo",
          "stopping",
          "stop-1",
          n -> n.path("phase").asText().equals("Running"),
          Duration.ofSeconds(10));
      long t0 = System.nanoTime();
      agent.close();
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .as("the grace, not the task's 60 s")
          .isLessThan(Duration.ofSeconds(15));
      assertThat(argo.node("argo", "stopping", "stop-1").path("phase").asText())
          .isEqualTo("Running");
      assertThat(api.requests())
          .filteredOn(r -> r.isStatusPatch() && r.path().contains("/workflowtasksets/stopping/"))
          .isNotEmpty()
          .noneMatch(
              r ->
                  r.body().contains("\"Failed\"")
                      || r.body().contains("\"Error\"")
                      || r.body().contains("\"Succeeded\""));
    }
  }
}
