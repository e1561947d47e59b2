package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.argo.ArtifactScope;
import dev.weft.argo.ArtifactScopes;
import dev.weft.argo.ArtifactSettings;
import dev.weft.runtime.capability.http.HostResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * How a pool finds each workflow's repository: the Workflow read once, failures not remembered,
 * transient API errors retried, Secrets read again after the store's time to live (an injected
 * clock). The API answers come from a function here; {@link ArtifactsTest} runs the same path
 * against the mock API server and a real S3 API.
 */
class WorkflowRepositoriesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  final Deque<Integer> codes = new ArrayDeque<>();
  final AtomicInteger workflowReads = new AtomicInteger();
  final AtomicInteger secretReads = new AtomicInteger();
  final AtomicLong now = new AtomicLong();
  final java.util.List<String> apiErrors =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  /** The repository's endpoint, and how the pool resolves its host. */
  String endpoint = "127.0.0.1:9";

  HostResolver resolver = HostResolver.SYSTEM;

  /** The UID the server has for a workflow name. */
  java.util.function.UnaryOperator<String> uidOnServer = name -> "uid-" + name;

  WorkflowRepositories repositories() {
    WorkflowRepositories.Workflows workflows =
        (ns, name) -> {
          workflowReads.incrementAndGet();
          Integer code = codes.poll();
          if (code != null) return new StatusPatcher.Api.Response(code, new byte[0]);
          return new StatusPatcher.Api.Response(
              200, workflow(ns, name).toString().getBytes(StandardCharsets.UTF_8));
        };
    HttpTemplates.SecretReader secrets =
        (ns, name, key) -> {
          secretReads.incrementAndGet();
          return ns + "-" + key;
        };
    return new WorkflowRepositories(
        workflows,
        secrets,
        ArtifactScopes.fixed(ArtifactSettings.none()),
        HttpPolicy.defaults().allowingLoopback(),
        host -> resolver.resolve(host),
        now::get,
        (operation, code) -> apiErrors.add(operation + "/" + code));
  }

  JsonNode workflow(String ns, String name) {
    ObjectNode wf = JSON.createObjectNode();
    wf.putObject("metadata")
        .put("name", name)
        .put("namespace", ns)
        .put("uid", uidOnServer.apply(name));
    ObjectNode ref = wf.putObject("status").putObject("artifactRepositoryRef");
    ref.put("configMap", "artifact-repositories").put("key", "v1").put("namespace", ns);
    ObjectNode s3 = ref.putObject("artifactRepository").putObject("s3");
    s3.put("endpoint", endpoint).put("bucket", "art").put("insecure", true);
    s3.putObject("accessKeySecret").put("name", "cred").put("key", "accessKey");
    s3.putObject("secretKeySecret").put("name", "cred").put("key", "secretKey");
    return wf;
  }

  static JsonNode meta(String ns, String name, String uid) {
    return JSON.createObjectNode().put("namespace", ns).put("name", name).put("uid", uid);
  }

  @Test
  void aWorkflowIsReadOnceAndANamespacesStoreIsSharedUntilItsSecretsAreDue() throws Exception {
    try (WorkflowRepositories r = repositories()) {
      ArtifactScope first = r.open(meta("team-a", "wf", "uid-wf"));
      ArtifactScope second = r.open(meta("team-a", "wf", "uid-wf"));
      assertThat(first.store()).isPresent();
      assertThat(second.store().get()).isSameAs(first.store().get());
      assertThat(first.origin()).contains("ConfigMap team-a/artifact-repositories key 'v1'");
      assertThat(workflowReads).hasValue(1);
      assertThat(secretReads).as("access and secret key, once").hasValue(2);
      first.close();
      second.close();

      now.addAndGet(WorkflowRepositories.STORE_TTL.toNanos() + 1);
      ArtifactScope later = r.open(meta("team-a", "wf", "uid-wf"));
      assertThat(later.store().get()).isNotSameAs(first.store().get());
      assertThat(secretReads).as("the Secrets are read again").hasValue(4);
      assertThat(workflowReads).as("the Workflow is not").hasValue(1);
      assertThat(r.openStores()).isEqualTo(1);
      later.close();
    }
  }

  @Test
  void transientErrorsAreRetriedAndAFailureIsNotRemembered() throws Exception {
    try (WorkflowRepositories r = repositories()) {
      codes.add(503);
      codes.add(429);
      try (ArtifactScope s = r.open(meta("team-a", "wf", "uid-wf"))) {
        assertThat(s.store()).isPresent();
      }
      assertThat(workflowReads).hasValue(3);
      assertThat(apiErrors).containsExactly("get-workflow/503", "get-workflow/429");

      codes.add(404);
      assertThatThrownBy(() -> r.open(meta("team-a", "gone", "uid-gone")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Workflow team-a/gone not found");
      codes.add(403);
      assertThatThrownBy(() -> r.open(meta("team-a", "gone", "uid-gone")))
          .hasMessageContaining("needs get on workflows.argoproj.io");
      assertThat(workflowReads).as("each failure read again").hasValue(5);
    }
  }

  @Test
  void aWorkflowCreatedAgainUnderTheSameNameIsNotMistakenForTheTaskSetsOwner() {
    uidOnServer = name -> "uid-new";
    try (WorkflowRepositories r = repositories()) {
      assertThatThrownBy(() -> r.open(meta("team-a", "wf", "uid-old")))
          .hasMessageContaining("has UID uid-new, not uid-old")
          .hasMessageContaining("deleted and created again");
    }
  }

  @Test
  void workflowsOfTwoNamespacesNeverShareAStoreEvenForTheSameRepository() throws Exception {
    try (WorkflowRepositories r = repositories();
        ArtifactScope a = r.open(meta("team-a", "wf", "uid-wf"));
        ArtifactScope a2 = r.open(meta("team-a", "wf2", "uid-wf2"));
        ArtifactScope b = r.open(meta("team-b", "wf", "uid-wf"))) {
      assertThat(a2.store().get()).as("same namespace, same repository").isSameAs(a.store().get());
      assertThat(b.store().get()).as("another namespace").isNotSameAs(a.store().get());
      assertThat(r.openStores()).isEqualTo(2);
      assertThat(secretReads).as("each namespace's own Secrets, once").hasValue(4);
    }
  }

  /**
   * A tenant's endpoint name checked once and then re-resolved to a metadata address (DNS
   * rebinding): every connection of the store resolves through the check again, so the request is
   * refused, naming the address, and never sent; the same name resolving to the checked address
   * reaches the server (a real HTTP server on 127.0.0.1 that answers 404 and counts requests).
   */
  @Test
  void aRepositoryEndpointReResolvedToAMetadataAddressIsRefusedAtConnect() throws Exception {
    com.sun.net.httpserver.HttpServer s3 =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger requests = new AtomicInteger();
    s3.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    s3.start();
    try {
      endpoint = "s3.tenant.test:" + s3.getAddress().getPort();
      java.net.InetAddress loopback = java.net.InetAddress.getByName("127.0.0.1");
      java.net.InetAddress metadata = java.net.InetAddress.getByName("169.254.169.254");

      resolver = host -> new java.net.InetAddress[] {loopback};
      try (WorkflowRepositories r = repositories();
          ArtifactScope scope = r.open(meta("team-a", "wf", "uid-wf"))) {
        assertThatThrownBy(() -> scope.store().get().get("some/key", java.nio.file.Path.of("x")))
            .isInstanceOf(IOException.class) // the stand-in knows no bucket
            .hasMessageNotContaining("refused");
        assertThat(requests.get()).as("the checked address is reached").isPositive();
      }

      requests.set(0);
      AtomicInteger lookups = new AtomicInteger();
      resolver =
          host -> new java.net.InetAddress[] {lookups.getAndIncrement() == 0 ? loopback : metadata};
      try (WorkflowRepositories r = repositories();
          ArtifactScope scope = r.open(meta("team-a", "wf", "uid-wf"))) {
        assertThat(lookups).as("the endpoint was checked when the workflow was read").hasValue(1);
        assertThatThrownBy(() -> scope.store().get().get("some/key", java.nio.file.Path.of("x")))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("s3.tenant.test")
            .hasMessageContaining("169.254.169.254");
        assertThat(requests.get()).as("nothing sent after the name changed").isZero();
      }
    } finally {
      s3.stop(0);
    }
  }
}
