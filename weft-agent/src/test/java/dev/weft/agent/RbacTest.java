package dev.weft.agent;

import static dev.weft.agent.ArgoStandIn.hello;
import static dev.weft.agent.ArgoStandIn.tasks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The RBAC in manifests/agent grants exactly what weft agent does: every request a replica made in
 * a scenario touching every call (informer, status patches, a conflict's re-read, a Secret header,
 * joining, renewing and leaving the pool) is allowed by the namespace install's Roles, and every
 * verb those Roles grant was used. The API server is fabric8's mock (stand-in), so this checks the
 * requests weft sends against the rules as written, not a real authorizer.
 */
class RbacTest {
  static final Path MANIFESTS = Path.of("../manifests/agent");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Pattern PATH =
      Pattern.compile(
          "/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/]+))?/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?(\\?.*)?");

  record Permission(String group, String resource, String verb) implements Comparable<Permission> {
    @Override
    public int compareTo(Permission o) {
      return toString().compareTo(o.toString());
    }
  }

  static Set<Permission> granted(Path... roleFiles) throws Exception {
    Set<Permission> out = new TreeSet<>();
    for (Path f : roleFiles) {
      for (JsonNode doc :
          YAML.readValues(YAML.createParser(Files.readString(f)), JsonNode.class).readAll()) {
        if (!doc.path("kind").asText().endsWith("Role")
            || doc.path("kind").asText().endsWith("Binding")) continue;
        for (JsonNode rule : doc.path("rules")) {
          for (JsonNode g : rule.path("apiGroups"))
            for (JsonNode r : rule.path("resources"))
              for (JsonNode v : rule.path("verbs")) {
                out.add(new Permission(g.asText(), r.asText(), v.asText()));
              }
        }
      }
    }
    return out;
  }

  /** The permission a request needs, by Kubernetes' request-info rules. */
  static Permission needed(MockApiServer.Request r) {
    Matcher m = PATH.matcher(r.path());
    if (!m.matches()) throw new AssertionError("not an API path: " + r.path());
    String group = m.group(1) == null ? "" : m.group(1);
    String resource = m.group(3);
    boolean named = m.group(4) != null;
    String resourceAndSub = m.group(5) == null ? resource : resource + "/" + m.group(5);
    String query = m.group(6) == null ? "" : m.group(6);
    String verb =
        switch (r.method()) {
          case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> throw new AssertionError(r.method());
        };
    return new Permission(group, resourceAndSub, verb);
  }

  @Test
  void theNamespaceInstallGrantsExactlyTheCallsTheAgentMakes() throws Exception {
    Set<Permission> granted =
        granted(
            MANIFESTS.resolve("namespace-install/weft-agent-role.yaml"),
            MANIFESTS.resolve("base/weft-agent-lease-role.yaml"));
    HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    backend.start();
    try (MockApiServer api = new MockApiServer()) {
      ArgoStandIn argo = new ArgoStandIn(api.client);
      argo.installCrd();
      argo.installWorkflowCrd();
      argo.createSecret("argo", "s3", java.util.Map.of("accessKey", "a", "secretKey", "s"));
      api.client
          .secrets()
          .inNamespace("argo")
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("api")
                  .endMetadata()
                  .addToData(
                      "token",
                      Base64.getEncoder().encodeToString("t".getBytes(StandardCharsets.UTF_8)))
                  .build())
          .create();
      api.server
          .expect()
          .patch()
          .withPath("/apis/argoproj.io/v1alpha1/namespaces/argo/workflowtasksets/rbac/status")
          .andReturn(409, "{}")
          .once();
      KubernetesClient agentClient =
          new KubernetesClientBuilder()
              .withConfig(
                  new ConfigBuilder(api.client.getConfiguration())
                      .withUserAgent("weft-agent-under-test")
                      .build())
              .build();
      AgentConfig c =
          TestAgents.config("rbac")
              .withNamespaces(List.of("argo", "weft-probe"))
              .withCoordination(
                  AgentConfig.Coordination.leases(
                      "argo", "pool", Duration.ofSeconds(2), Duration.ofMillis(200)));
      Agent agent = TestAgents.start(agentClient, c);
      try {
        argo.awaitWatching("rbac", List.of("rbac"));
        String base = "http://127.0.0.1:" + backend.getAddress().getPort();
        // A step with a key-only input: the workflow's repository (get workflows) and its
        // credentials (get secrets). Its S3 "server" is the plain backend, so the step fails
        // after the API calls this test is about.
        com.fasterxml.jackson.databind.node.ObjectNode ref =
            ArgoStandIn.JSON.createObjectNode().put("configMap", "artifact-repositories");
        ref.put("key", "v1").put("namespace", "argo");
        ref.putObject("artifactRepository")
            .putObject("s3")
            .put("endpoint", "127.0.0.1:" + backend.getAddress().getPort())
            .put("bucket", "art")
            .put("insecure", true)
            .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                "accessKeySecret",
                ArgoStandIn.JSON.createObjectNode().put("name", "s3").put("key", "accessKey"))
            .set(
                "secretKeySecret",
                ArgoStandIn.JSON.createObjectNode().put("name", "s3").put("key", "secretKey"));
        String uid = argo.createWorkflow("argo", "rbac", ref);
        argo.createTaskSet(
            "argo",
            "rbac",
            uid,
            tasks(
                "rbac-3",
                "{\"name\":\"a\",\"metadata\":{},\"outputs\":{},\"inputs\":{\"artifacts\":[{\"name\":\"m\",\"path\":\"/in/m\",\"s3\":{\"key\":\"k.tgz\"}}]},"
                    + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"wc/wc.wasm\"}}}}",
                "rbac-1",
                hello("r"),
                "rbac-2",
                "{\"name\":\"c\",\"inputs\":{},\"outputs\":{},\"metadata\":{},\"http\":{\"url\":\""
                    + base
                    + "/\",\"headers\":[{\"name\":\"X\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"api\",\"key\":\"token\"}}}]}}"),
            java.util.Optional.empty());
        argo.awaitFinal("argo", "rbac", "rbac-1");
        JsonNode a = argo.awaitFinal("argo", "rbac", "rbac-3");
        assertThat(a.path("message").asText())
            .as("the step got past the workflow and its Secret, to the S3 request")
            .contains("input artifact 'm'")
            .doesNotContain("Workflow argo/rbac")
            .doesNotContain("Secret");
        argo.awaitFinal("argo", "rbac", "rbac-2");
        Await.until(
            "the lease was renewed",
            Duration.ofSeconds(5),
            () ->
                api.requests().stream()
                    .anyMatch(
                        r ->
                            r.userAgent().equals("weft-agent-under-test")
                                && r.method().equals("PUT")));
      } finally {
        agent.close();
        agentClient.close();
      }
      List<MockApiServer.Request> made =
          api.requests().stream()
              .filter(r -> r.userAgent().equals("weft-agent-under-test"))
              .toList();
      Set<Permission> used = new TreeSet<>();
      List<String> refused = new ArrayList<>();
      for (MockApiServer.Request r : made) {
        Permission p = needed(r);
        used.add(p);
        if (!granted.contains(p)) refused.add(r.method() + " " + r.path() + " needs " + p);
      }
      assertThat(refused).as("requests the Roles would refuse").isEmpty();
      assertThat(used).as("every granted verb is used").isEqualTo(granted);
    } finally {
      backend.stop(0);
    }
  }

  @Test
  void theClusterInstallGrantsTheSameAsTheNamespaceInstall() throws Exception {
    assertThat(granted(MANIFESTS.resolve("cluster-install/weft-agent-clusterrole.yaml")))
        .isEqualTo(granted(MANIFESTS.resolve("namespace-install/weft-agent-role.yaml")));
  }
}
