package dev.weft.agent;

import static dev.weft.agent.ArgoStandIn.hello;
import static dev.weft.agent.ArgoStandIn.tasks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.weft.argo.CapabilityCeiling;
import dev.weft.runtime.capability.http.AllowedUrl;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One replica against the fabric8 mock API server (CRUD mode, the stand-in for a real API server),
 * with {@link ArgoStandIn} writing TaskSets as Argo's controller does: Wasm steps with parameters,
 * capabilities, {@code http:} templates against a real local HTTP server, foreign plugins, repeats,
 * restarts, and workflows deleted or completed while a task runs.
 */
class AgentTasksTest {
  static MockApiServer api;
  static KubernetesClient client;
  static ArgoStandIn argo;
  static Agent agent;
  static HttpServer backend;

  /** The slow backend answers only when the tests are over: slower than any timeout under test. */
  static final java.util.concurrent.CountDownLatch SLOW_RELEASED =
      new java.util.concurrent.CountDownLatch(1);

  static String base;

  @BeforeAll
  static void start() throws Exception {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext(
        "/echo",
        ex -> {
          String auth = String.valueOf(ex.getRequestHeaders().getFirst("X-Token"));
          byte[] in = ex.getRequestBody().readAllBytes();
          byte[] b =
              (ex.getRequestMethod()
                      + " token="
                      + auth
                      + " body="
                      + new String(in, StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("content-type", "text/plain");
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    backend.createContext(
        "/teapot",
        ex -> {
          byte[] b = "{\"ok\":false}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(418, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    backend.createContext(
        "/moved",
        ex -> {
          ex.getResponseHeaders().add("Location", "/echo");
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    backend.createContext(
        "/slow",
        ex -> {
          try {
            SLOW_RELEASED.await(
                60, java.util.concurrent.TimeUnit.SECONDS); // held until the tests end
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    backend.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    backend.start();
    base = "http://127.0.0.1:" + backend.getAddress().getPort();
    api = new MockApiServer();
    client = api.client;
    argo = new ArgoStandIn(client);
    argo.installCrd();
    client
        .secrets()
        .inNamespace("team-a")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("api")
                .endMetadata()
                .addToData(
                    "token",
                    java.util.Base64.getEncoder()
                        .encodeToString("s3cr3t-team-a".getBytes(StandardCharsets.UTF_8)))
                .build())
        .create();
    AgentConfig config =
        TestAgents.config("solo")
            .withSteps(
                TestAgents.steps(
                    new CapabilityCeiling(List.of(AllowedUrl.parse(base)), Optional.empty())));
    agent = TestAgents.start(client, config);
    argo.awaitWatching("solo", List.of("solo"));
  }

  @AfterAll
  static void stop() {
    SLOW_RELEASED.countDown();
    agent.close();
    backend.stop(0);
    api.close();
  }

  @Test
  void aWasmStepGetsItsParameterAndReportsItsOutputsWithTimes() throws Exception {
    argo.createTaskSet("argo", "params", tasks("params-1", hello("Argo")));
    JsonNode n = argo.awaitFinal("argo", "params", "params-1");
    assertThat(n.path("phase").asText()).as(n.toString()).isEqualTo("Succeeded");
    assertThat(n.path("message").asText()).isEqualTo("greeted Argo");
    assertThat(n.at("/outputs/parameters/0/name").asText()).isEqualTo("greeting");
    assertThat(n.at("/outputs/parameters/0/value").asText()).isEqualTo("Hello, Argo!");
    assertThat(n.path("startedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(n.path("finishedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
  }

  @Test
  void everyStatusPatchIsAMergePatchOfTheStatusSubresourceWithAResourceVersion() throws Exception {
    argo.createTaskSet("argo", "wire", tasks("wire-1", hello("wire")));
    argo.awaitFinal("argo", "wire", "wire-1");
    var patches =
        api.requests().stream()
            .filter(r -> r.method().equals("PATCH") && r.path().contains("/workflowtasksets/wire"))
            .toList();
    assertThat(patches).isNotEmpty();
    for (var p : patches) {
      assertThat(p.path())
          .isEqualTo("/apis/argoproj.io/v1alpha1/namespaces/argo/workflowtasksets/wire/status");
      assertThat(p.contentType()).startsWith("application/merge-patch+json");
      JsonNode body = ArgoStandIn.parse(p.body());
      assertThat(body.at("/metadata/resourceVersion").asText()).isNotEmpty();
      assertThat(body.path("status").path("nodes").fieldNames())
          .toIterable()
          .containsExactly("wire-1");
    }
  }

  @Test
  void aLongTaskIsReportedRunningFirstThenFinal() throws Exception {
    String loop =
        "{\"name\":\"spin\",\"inputs\":{},\"outputs\":{},\"metadata\":{},"
            + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"adversarial/loop.wasm\"},\"limits\":{\"timeout\":\"1500ms\"}}}}";
    argo.createTaskSet("argo", "long", tasks("long-1", loop));
    JsonNode running =
        argo.await(
            "argo",
            "long",
            "long-1",
            n -> n.path("phase").asText().equals("Running"),
            Duration.ofSeconds(10));
    assertThat(running.path("message").asText()).isEqualTo("running on weft agent solo");
    assertThat(running.has("startedAt")).isTrue();
    assertThat(running.has("finishedAt")).isFalse();
    JsonNode done = argo.awaitFinal("argo", "long", "long-1");
    assertThat(done.path("phase").asText()).isIn("Failed", "Error");
    assertThat(done.path("message").asText()).containsIgnoringCase("time");
    assertThat(done.path("startedAt").asText()).isEqualTo(running.path("startedAt").asText());
  }

  @Test
  void theSameTaskSeenManyTimesRunsOnceAndGetsOneResult() throws Exception {
    argo.createTaskSet("argo", "repeat", tasks("repeat-1", hello("again")));
    for (int i = 0; i < 10; i++)
      argo.putTask(
          "argo", "repeat", "repeat-1", hello("again")); // each reconcile writes the tasks again
    argo.awaitFinal("argo", "repeat", "repeat-1");
    for (int i = 0; i < 10; i++) argo.putTask("argo", "repeat", "repeat-1", hello("again"));
    argo.putTask(
        "argo",
        "repeat",
        "barrier",
        hello("barrier")); // once this is done, the events above have been handled
    argo.awaitFinal("argo", "repeat", "barrier");
    assertThat(api.statusPatches("repeat-1", "Succeeded")).isEqualTo(1);
  }

  @Test
  void aRestartedReplicaDoesNotRunANodeThatHasAFinalResult() throws Exception {
    argo.createTaskSet("argo", "restart", tasks("restart-1", hello("once")));
    argo.awaitFinal("argo", "restart", "restart-1");
    try (Agent second =
        TestAgents.start(
            client,
            TestAgents.config("second").withSteps(TestAgents.steps(CapabilityCeiling.none())))) {
      argo.awaitWatching("second", List.of("second"));
      argo.putTask("argo", "restart", "restart-2", hello("twice"));
      argo.awaitFinal("argo", "restart", "restart-2");
    }
    assertThat(api.statusPatches("restart-1", "Succeeded")).isEqualTo(1);
  }

  @Test
  void finishedNodesArgoRemovedAreForgottenAndTheTaskSetStaysConsistent() throws Exception {
    argo.createTaskSet("argo", "cleanup", tasks("cleanup-1", hello("a"), "cleanup-2", hello("b")));
    argo.awaitFinal("argo", "cleanup", "cleanup-1");
    argo.awaitFinal("argo", "cleanup", "cleanup-2");
    argo.removeFulfilled("argo", "cleanup", "cleanup-1", "cleanup-2");
    argo.putTask("argo", "cleanup", "cleanup-3", hello("c"));
    argo.awaitFinal("argo", "cleanup", "cleanup-3");
    JsonNode ts = argo.taskSet("argo", "cleanup");
    assertThat(ts.path("status").path("nodes").fieldNames())
        .toIterable()
        .containsExactly("cleanup-3");
    assertThat(api.statusPatches("cleanup-1", "Succeeded")).isEqualTo(1);
  }

  @Test
  void aTaskForAnotherPluginIsAnErrorNamingThePlugin() throws Exception {
    argo.createTaskSet(
        "argo",
        "foreign",
        tasks(
            "foreign-1",
            "{\"name\":\"h\",\"inputs\":{},\"outputs\":{},\"metadata\":{},\"plugin\":{\"hello\":{}}}"));
    JsonNode n = argo.awaitFinal("argo", "foreign", "foreign-1");
    assertThat(n.path("phase").asText()).isEqualTo("Error");
    assertThat(n.path("message").asText()).contains("plugin 'hello'").contains("plugin: wasm:");
  }

  @Test
  void anInvalidWasmStepFailsNamingTheField() throws Exception {
    argo.createTaskSet(
        "argo",
        "invalid",
        tasks(
            "invalid-1",
            "{\"name\":\"x\",\"inputs\":{},\"outputs\":{},\"metadata\":{},\"plugin\":{\"wasm\":{\"module\":{\"file\":\"hello/hello.wasm\"},\"limits\":{\"cpu\":1}}}}"));
    JsonNode n = argo.awaitFinal("argo", "invalid", "invalid-1");
    assertThat(n.path("phase").asText()).isEqualTo("Failed");
    assertThat(n.path("message").asText()).contains("limits.cpu");
  }

  @Test
  void aStepGetsHttpWithinTheCeilingAndNotBeyond() throws Exception {
    String ok =
        "{\"name\":\"h\",\"inputs\":{\"parameters\":[{\"name\":\"url\",\"value\":\""
            + base
            + "/echo\"}]},"
            + "\"outputs\":{\"parameters\":[{\"name\":\"body\",\"valueFrom\":{\"default\":\"-\"}}]},\"metadata\":{},"
            + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"http-request/http-request.wasm\"},\"permissions\":{\"http\":{\"allowed_hosts\":[\""
            + base
            + "\"]}}}}}";
    String wide =
        ok.replace(
            "\"allowed_hosts\":[\"" + base + "\"]", "\"allowed_hosts\":[\"http://127.0.0.1:1\"]");
    argo.createTaskSet("argo", "caps", tasks("caps-ok", ok, "caps-wide", wide));
    JsonNode n = argo.awaitFinal("argo", "caps", "caps-ok");
    assertThat(n.path("phase").asText()).as(n.toString()).isEqualTo("Succeeded");
    assertThat(n.at("/outputs/parameters/0/value").asText()).startsWith("GET token=null");
    JsonNode w = argo.awaitFinal("argo", "caps", "caps-wide");
    assertThat(w.path("phase").asText()).isEqualTo("Failed");
    assertThat(w.path("message").asText())
        .contains("plugin.wasm.permissions.http.allowed_hosts[0]")
        .contains("not permitted");
  }

  private static String http(String fields) {
    return "{\"name\":\"call\",\"inputs\":{},\"outputs\":{},\"metadata\":{},\"http\":{"
        + fields
        + "}}";
  }

  @Test
  void anHttpTemplateSendsMethodHeadersFromTheNamespacesSecretAndBody() throws Exception {
    argo.createTaskSet(
        "team-a",
        "http",
        tasks(
            "http-1",
            http(
                "\"method\":\"POST\",\"url\":\""
                    + base
                    + "/echo\",\"body\":\"ping\","
                    + "\"headers\":[{\"name\":\"X-Token\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"api\",\"key\":\"token\"}}}]")));
    JsonNode n = argo.awaitFinal("team-a", "http", "http-1");
    assertThat(n.path("phase").asText()).as(n.toString()).isEqualTo("Succeeded");
    assertThat(n.at("/outputs/result").asText()).isEqualTo("POST token=s3cr3t-team-a body=ping");
  }

  @Test
  void aSecretOfAnotherNamespaceIsNotFound() throws Exception {
    argo.createTaskSet(
        "team-b",
        "http",
        tasks(
            "http-b",
            http(
                "\"url\":\""
                    + base
                    + "/echo\","
                    + "\"headers\":[{\"name\":\"X-Token\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"api\",\"key\":\"token\"}}}]")));
    JsonNode n = argo.awaitFinal("team-b", "http", "http-b");
    assertThat(n.path("phase").asText()).isEqualTo("Failed");
    assertThat(n.path("message").asText())
        .contains("Secret team-b/api not found")
        .doesNotContain("s3cr3t");
  }

  @Test
  void anHttpTemplateFollowsArgosSuccessRules() throws Exception {
    argo.createTaskSet(
        "argo",
        "rules",
        tasks(
            "non2xx", http("\"url\":\"" + base + "/teapot\""),
            "cond-true",
                http(
                    "\"url\":\""
                        + base
                        + "/teapot\",\"successCondition\":\"response.statusCode == 418 && response.body contains 'false'\""),
            "cond-false",
                http(
                    "\"url\":\""
                        + base
                        + "/echo\",\"successCondition\":\"response.headers['Content-Type'][0] == 'application/json'\""),
            "redirect", http("\"method\":\"GET\",\"url\":\"" + base + "/moved\""),
            "timeout", http("\"url\":\"" + base + "/slow\",\"timeoutSeconds\":1"),
            "refused", http("\"url\":\"http://169.254.169.254/latest/meta-data\"")));
    JsonNode non2xx = argo.awaitFinal("argo", "rules", "non2xx");
    assertThat(non2xx.path("phase").asText()).isEqualTo("Failed");
    assertThat(non2xx.path("message").asText()).isEqualTo("received non-2xx response code: 418");
    assertThat(non2xx.at("/outputs/result").asText()).isEqualTo("{\"ok\":false}");
    assertThat(argo.awaitFinal("argo", "rules", "cond-true").path("phase").asText())
        .isEqualTo("Succeeded");
    JsonNode f = argo.awaitFinal("argo", "rules", "cond-false");
    assertThat(f.path("phase").asText()).isEqualTo("Failed");
    assertThat(f.path("message").asText())
        .isEqualTo(
            "successCondition 'response.headers['Content-Type'][0] == 'application/json'' evaluated false");
    JsonNode r = argo.awaitFinal("argo", "rules", "redirect");
    assertThat(r.path("phase").asText()).as(r.toString()).isEqualTo("Succeeded");
    assertThat(r.at("/outputs/result").asText()).startsWith("GET token=null");
    JsonNode t = argo.awaitFinal("argo", "rules", "timeout");
    assertThat(t.path("phase").asText()).isEqualTo("Failed");
    assertThat(t.path("message").asText()).contains("within 1s (timeoutSeconds)");
    JsonNode x = argo.awaitFinal("argo", "rules", "refused");
    assertThat(x.path("phase").asText()).isEqualTo("Failed");
    assertThat(x.path("message").asText()).contains("169.254.169.254").contains("link-local");
  }

  @Test
  void aTaskSetOfAnotherControllerInstanceIsLeftAlone() throws Exception {
    argo.createTaskSet(
        "argo", "other-instance", tasks("other-1", hello("x")), Optional.of("other"));
    argo.createTaskSet("argo", "after-other", tasks("after-1", hello("y")));
    argo.awaitFinal("argo", "after-other", "after-1");
    agent.consider(
        TaskSet.fromJson(argo.taskSet("argo", "after-other")),
        System.nanoTime()); // and a rescan has nothing to add
    assertThat(argo.node("argo", "other-instance", "other-1")).isNull();
  }

  @Test
  void aWorkflowDeletedMidTaskHasItsTaskCancelled() throws Exception {
    String spin =
        "{\"name\":\"spin\",\"inputs\":{},\"outputs\":{},\"metadata\":{},"
            + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"adversarial/loop.wasm\"},\"limits\":{\"timeout\":\"60s\"}}}}";
    double before = agent.metrics().cancelledCount();
    argo.createTaskSet("argo", "deleted", tasks("deleted-1", spin));
    argo.await(
        "argo",
        "deleted",
        "deleted-1",
        n -> n.path("phase").asText().equals("Running"),
        Duration.ofSeconds(10));
    argo.delete("argo", "deleted");
    Await.until(
        "the task is cancelled",
        Duration.ofSeconds(10),
        () -> agent.metrics().cancelledCount() == before + 1);
    Await.until(
        "its worker is free again (long before the 60s timeout)",
        Duration.ofSeconds(10),
        () -> agent.metrics().scrape().contains("weft_agent_tasks_running 0.0"));
  }

  @Test
  void aCompletedWorkflowHasItsTaskCancelled() throws Exception {
    String spin =
        "{\"name\":\"spin\",\"inputs\":{},\"outputs\":{},\"metadata\":{},"
            + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"adversarial/loop.wasm\"},\"limits\":{\"timeout\":\"60s\"}}}}";
    double before = agent.metrics().cancelledCount();
    argo.createTaskSet("argo", "completed", tasks("completed-1", spin));
    argo.await(
        "argo",
        "completed",
        "completed-1",
        n -> n.path("phase").asText().equals("Running"),
        Duration.ofSeconds(10));
    argo.markCompleted("argo", "completed");
    Await.until(
        "the task is cancelled",
        Duration.ofSeconds(10),
        () -> agent.metrics().cancelledCount() == before + 1);
    assertThat(argo.node("argo", "completed", "completed-1").path("phase").asText())
        .isEqualTo("Running");
  }

  @Test
  void healthReadinessAndMetricsAreServed() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    String at = "http://127.0.0.1:" + agent.opsPort();
    var h =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(at + "/healthz")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(h.statusCode()).isEqualTo(200);
    var r =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(at + "/readyz")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    argo.createTaskSet("argo", "metrics", tasks("metrics-1", hello("m")));
    argo.awaitFinal("argo", "metrics", "metrics-1");
    var m =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(at + "/metrics")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(m.body())
        .contains("weft_agent_tasks_total{phase=\"Succeeded\"}")
        .contains("weft_agent_seen_to_patched_seconds_bucket")
        .contains("weft_agent_queue_depth")
        .contains("weft_agent_status_patches_total");
    assertThat(Map.of()).isEmpty();
  }
}
