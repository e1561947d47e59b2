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
        HostResolver.SYSTEM,
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
    s3.put("endpoint", "127.0.0.1:9").put("bucket", "art").put("insecure", true);
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
}
