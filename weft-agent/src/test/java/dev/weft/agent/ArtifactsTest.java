package dev.weft.agent;

import static dev.weft.agent.ArgoStandIn.hello;
import static dev.weft.agent.ArgoStandIn.tasks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weft.argo.ArtifactSettings;
import dev.weft.argo.CapabilityCeiling;
import dev.weft.argo.StepSettings;
import dev.weft.artifacts.Archives;
import dev.weft.artifacts.ArtifactRepository;
import dev.weft.artifacts.S3Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Artifacts through the pool, per workflow: a real S3 API (S3Proxy on 127.0.0.1) holds each
 * namespace's bucket; the Workflows, Secrets and TaskSets are on the fabric8 mock API server
 * (stand-in), written as Argo's controller leaves them. Each workflow's steps use the repository
 * Argo resolved for it ({@code status.artifactRepositoryRef.artifactRepository}) with Secrets read
 * in the workflow's own namespace; a workflow Argo resolved none for uses the pool's own.
 */
class ArtifactsTest {
  @RegisterExtension static final S3Fixture S3 = new S3Fixture();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static MockApiServer api;
  static ArgoStandIn argo;
  static Agent agent;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    api = new MockApiServer();
    argo = new ArgoStandIn(api.client);
    argo.installCrd();
    argo.installWorkflowCrd();
    S3.client().createBucket(b -> b.bucket("team-a-art"));
    S3.client().createBucket(b -> b.bucket("team-b-art"));
    for (String ns : List.of("team-a", "team-b")) {
      argo.createSecret(
          ns,
          "s3-cred",
          Map.of("accessKey", S3Fixture.ACCESS_KEY, "secretKey", S3Fixture.SECRET_KEY));
    }
    argo.createSecret(
        "team-a",
        "team-a-only",
        Map.of("accessKey", S3Fixture.ACCESS_KEY, "secretKey", S3Fixture.SECRET_KEY));
    // The pool's own repository, with its own credentials (the process environment): for
    // workflows Argo resolved none for.
    ArtifactRepository pool =
        ArtifactRepository.parse(
            """
        s3:
          bucket: %s
          endpoint: 127.0.0.1:%d
          insecure: true
          accessKeySecret: {name: my-s3-credentials, key: accessKey}
          secretKeySecret: {name: my-s3-credentials, key: secretKey}
        """
                .formatted(S3Fixture.BUCKET, S3.port()),
            Optional.empty());
    ArtifactSettings artifacts =
        ArtifactSettings.none()
            .withRepository(
                pool,
                Optional.empty(),
                Map.of(
                    "AWS_ACCESS_KEY_ID",
                    S3Fixture.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY",
                    S3Fixture.SECRET_KEY));
    StepSettings s =
        TestAgents.steps(CapabilityCeiling.none()).toBuilder().artifacts(artifacts).build();
    agent = TestAgents.start(api.client, TestAgents.config("artifacts").withSteps(s));
    argo.awaitWatching("artifacts", List.of("artifacts"));
  }

  @AfterAll
  static void stop() {
    agent.close();
    api.close();
  }

  /** Argo's status.artifactRepositoryRef for a namespace's artifact-repositories ConfigMap. */
  static JsonNode configMapRef(String namespace, String key, String s3Yaml) throws Exception {
    ObjectNode ref = ArgoStandIn.JSON.createObjectNode();
    ref.put("configMap", "artifact-repositories").put("key", key).put("namespace", namespace);
    ref.putObject("artifactRepository").set("s3", YAML.readTree(s3Yaml));
    return ref;
  }

  /** What the controller writes when no repository is configured anywhere. */
  static JsonNode noneResolved() {
    return ArgoStandIn.JSON.createObjectNode().put("default", true);
  }

  static String teamRepo(String bucket, String secret, String keyFormat) {
    return """
        endpoint: 127.0.0.1:%d
        bucket: %s
        insecure: true
        keyFormat: "%s"
        accessKeySecret: {name: %s, key: accessKey}
        secretKeySecret: {name: %s, key: secretKey}
        """
        .formatted(S3.port(), bucket, keyFormat, secret, secret);
  }

  static String wc(String inputKey) {
    return "{\"name\":\"count\",\"metadata\":{},"
        + "\"inputs\":{\"artifacts\":[{\"name\":\"message\",\"path\":\"/in/message\",\"s3\":{\"key\":\""
        + inputKey
        + "\"}}]},"
        + "\"outputs\":{\"artifacts\":[{\"name\":\"words\",\"path\":\"/tmp/words.txt\"}]},"
        + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"wc/wc.wasm\"},\"args\":[\"/in/message\"]}}}";
  }

  void putInput(String bucket, String key, String text) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "in");
    Files.writeString(dir.resolve("hello_world.txt"), text);
    Archives.tgz(dir.resolve("hello_world.txt"), dir.resolve("in.tgz"));
    S3.client()
        .putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(dir.resolve("in.tgz")));
  }

  boolean exists(String bucket, String key) {
    try {
      S3.client().headObject(r -> r.bucket(bucket).key(key));
      return true;
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return false;
    }
  }

  JsonNode runIn(String namespace, String workflow, JsonNode repositoryRef, String template)
      throws Exception {
    String uid = argo.createWorkflow(namespace, workflow, repositoryRef);
    argo.createTaskSet(
        namespace, workflow, uid, tasks(workflow + "-1", template), Optional.empty());
    return argo.awaitFinal(namespace, workflow, workflow + "-1");
  }

  @Test
  void eachWorkflowUsesItsNamespacesRepositoryWithItsNamespacesSecrets() throws Exception {
    putInput("team-a-art", "in/a.tgz", "one two three\n");
    putInput("team-b-art", "in/b.tgz", "four five\n");
    JsonNode a =
        runIn(
            "team-a",
            "wf-a",
            configMapRef(
                "team-a",
                "default-v1",
                teamRepo("team-a-art", "s3-cred", "a/{{workflow.name}}/{{pod.name}}")),
            wc("in/a.tgz"));
    JsonNode b =
        runIn(
            "team-b",
            "wf-b",
            configMapRef(
                "team-b",
                "default-v1",
                teamRepo("team-b-art", "s3-cred", "b/{{workflow.name}}/{{pod.name}}")),
            wc("in/b.tgz"));
    assertThat(a.path("phase").asText()).as(a.toString()).isEqualTo("Succeeded");
    assertThat(b.path("phase").asText()).as(b.toString()).isEqualTo("Succeeded");
    assertThat(a.at("/outputs/result").asText()).isEqualTo("1 3 14");
    assertThat(b.at("/outputs/result").asText()).isEqualTo("1 2 10");
    String keyA = a.at("/outputs/artifacts/0/s3/key").asText();
    String keyB = b.at("/outputs/artifacts/0/s3/key").asText();
    assertThat(keyA).startsWith("a/wf-a/wf-a-count-").endsWith("/words.tgz");
    assertThat(keyB).startsWith("b/wf-b/wf-b-count-").endsWith("/words.tgz");
    assertThat(a.at("/outputs/artifacts/0/s3").has("bucket")).as("key-only").isFalse();
    assertThat(exists("team-a-art", keyA)).isTrue();
    assertThat(exists("team-b-art", keyB)).isTrue();
    assertThat(exists("team-b-art", keyA) || exists(S3Fixture.BUCKET, keyA)).isFalse();
    assertThat(exists("team-a-art", keyB) || exists(S3Fixture.BUCKET, keyB)).isFalse();
  }

  @Test
  void aSecretIsLookedUpOnlyInTheWorkflowsOwnNamespace() throws Exception {
    // team-b's repository names a Secret that exists only in team-a.
    putInput("team-b-art", "in/c.tgz", "stolen?\n");
    JsonNode n =
        runIn(
            "team-b",
            "wf-borrow",
            configMapRef(
                "team-b",
                "borrowed",
                teamRepo("team-b-art", "team-a-only", "{{workflow.name}}/{{pod.name}}")),
            wc("in/c.tgz"));
    assertThat(n.path("phase").asText()).isEqualTo("Failed");
    assertThat(n.path("message").asText())
        .contains("Secret team-b/team-a-only not found")
        .contains("team-b/wf-borrow")
        .doesNotContain(S3Fixture.SECRET_KEY);
  }

  @Test
  void aWorkflowArgoResolvedNoRepositoryForUsesThePoolsOwn() throws Exception {
    putInput(S3Fixture.BUCKET, "art-wf/art-wf-gen-1/hello-art.tgz", "hello world from argo\n");
    JsonNode n = runIn("argo", "art-wf", noneResolved(), wc("art-wf/art-wf-gen-1/hello-art.tgz"));
    assertThat(n.path("phase").asText()).as(n.toString()).isEqualTo("Succeeded");
    assertThat(n.at("/outputs/result").asText()).isEqualTo("1 4 22");
    String key = n.at("/outputs/artifacts/0/s3/key").asText();
    assertThat(key).startsWith("art-wf/art-wf-count-").endsWith("/words.tgz");
    assertThat(exists(S3Fixture.BUCKET, key)).isTrue();
  }

  @Test
  void aRepositoryWeftCannotOrMustNotUseFailsTheNodeNamingIt() throws Exception {
    ObjectNode gcs = ArgoStandIn.JSON.createObjectNode();
    gcs.put("configMap", "artifact-repositories").put("key", "gcs-v1").put("namespace", "team-a");
    gcs.putObject("artifactRepository").putObject("gcs").put("bucket", "b");
    JsonNode n = runIn("team-a", "wf-gcs", gcs, wc("in/a.tgz"));
    assertThat(n.path("phase").asText()).isEqualTo("Failed");
    assertThat(n.path("message").asText())
        .contains("ConfigMap team-a/artifact-repositories key 'gcs-v1'")
        .contains("'gcs' is not supported");

    // A link-local endpoint (cloud metadata) is refused before any connection is made.
    JsonNode metadata =
        configMapRef(
            "team-a", "meta", "{endpoint: '169.254.169.254:80', bucket: latest, insecure: true}");
    n = runIn("team-a", "wf-meta", metadata, wc("in/a.tgz"));
    assertThat(n.path("phase").asText()).isEqualTo("Failed");
    assertThat(n.path("message").asText())
        .contains("s3.endpoint 169.254.169.254:80 is refused")
        .contains("link-local");

    // A bucket name S3 cannot take: a Failed node naming it, not a crashed task.
    JsonNode shortBucket =
        configMapRef(
            "team-a", "short", teamRepo("ab", "s3-cred", "{{workflow.name}}/{{pod.name}}"));
    n = runIn("team-a", "wf-short", shortBucket, wc("in/a.tgz"));
    assertThat(n.path("phase").asText()).isEqualTo("Failed");
    assertThat(n.path("message").asText())
        .contains("team-a/wf-short")
        .contains("S3 bucket name must be 3-63 characters");

    JsonNode sdk =
        configMapRef(
            "team-a",
            "sdk",
            "{endpoint: '127.0.0.1:" + S3.port() + "', bucket: team-a-art, useSDKCreds: true}");
    n = runIn("team-a", "wf-sdk", sdk, wc("in/a.tgz"));
    assertThat(n.path("phase").asText()).isEqualTo("Failed");
    assertThat(n.path("message").asText()).contains("useSDKCreds").contains("namespace team-a");
  }

  @Test
  void onlyStepsThatUseTheRepositoryReadTheWorkflowAndEachWorkflowIsReadOnce() throws Exception {
    String raw =
        "{\"name\":\"count\",\"metadata\":{},\"outputs\":{},"
            + "\"inputs\":{\"artifacts\":[{\"name\":\"m\",\"path\":\"/in/m\",\"raw\":{\"data\":\"a b\"}}]},"
            + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"wc/wc.wasm\"},\"args\":[\"/in/m\"]}}}";
    putInput("team-a-art", "in/once.tgz", "x\n");
    String uid =
        argo.createWorkflow(
            "team-a",
            "wf-once",
            configMapRef(
                "team-a", "default-v1", teamRepo("team-a-art", "s3-cred", "{{workflow.name}}")));
    argo.createTaskSet(
        "team-a",
        "wf-once",
        uid,
        tasks("o-1", raw, "o-2", hello("x"), "o-3", wc("in/once.tgz"), "o-4", wc("in/once.tgz")),
        Optional.empty());
    for (String id : List.of("o-1", "o-2", "o-3", "o-4")) {
      JsonNode n = argo.awaitFinal("team-a", "wf-once", id);
      assertThat(n.path("phase").asText()).as(id + ": " + n).isEqualTo("Succeeded");
    }
    long reads =
        api.requests().stream()
            .filter(
                r ->
                    r.method().equals("GET")
                        && r.path().contains("/namespaces/team-a/workflows/wf-once"))
            .count();
    assertThat(reads).as("one read for the two steps that use the repository").isEqualTo(1);
  }

  @Test
  void aMissingInputFailsTheNodeNamingTheKey() throws Exception {
    JsonNode n = runIn("argo", "art-missing", noneResolved(), wc("nowhere/gone.tgz"));
    assertThat(n.path("phase").asText()).isEqualTo("Failed");
    assertThat(n.path("message").asText())
        .contains("input artifact 'message'")
        .contains("nowhere/gone.tgz")
        .doesNotContain(S3Fixture.SECRET_KEY);
  }
}
