package dev.weft.agent;

import static dev.weft.agent.ArgoStandIn.tasks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Artifacts through the pool: a real S3 API (S3Proxy on 127.0.0.1) as Argo's repository, the
 * TaskSets on the fabric8 mock API server (stand-in). A key-only input is fetched and unpacked, an
 * output is stored under Argo's key and reported key-only in {@code status.nodes}.
 */
class ArtifactsTest {
  @RegisterExtension static final S3Fixture S3 = new S3Fixture();
  static MockApiServer api;
  static ArgoStandIn argo;
  static Agent agent;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    api = new MockApiServer();
    argo = new ArgoStandIn(api.client);
    argo.installCrd();
    ArtifactRepository repo =
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
                repo,
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

  @Test
  void aKeyOnlyInputIsReadAndAnOutputIsStoredAndReportedKeyOnly() throws Exception {
    Files.writeString(tmp.resolve("hello_world.txt"), "hello world from argo\n");
    Archives.tgz(tmp.resolve("hello_world.txt"), tmp.resolve("hello-art.tgz"));
    S3.client()
        .putObject(
            r -> r.bucket(S3Fixture.BUCKET).key("art-wf/art-wf-gen-1/hello-art.tgz"),
            RequestBody.fromFile(tmp.resolve("hello-art.tgz")));
    String wc =
        "{\"name\":\"count\",\"metadata\":{},"
            + "\"inputs\":{\"artifacts\":[{\"name\":\"message\",\"path\":\"/in/message\",\"s3\":{\"key\":\"art-wf/art-wf-gen-1/hello-art.tgz\"}}]},"
            + "\"outputs\":{\"artifacts\":[{\"name\":\"words\",\"path\":\"/tmp/words.txt\"}]},"
            + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"wc/wc.wasm\"},\"args\":[\"/in/message\"]}}}";
    argo.createTaskSet("argo", "art-wf", tasks("art-1", wc));
    JsonNode n = argo.awaitFinal("argo", "art-wf", "art-1");
    assertThat(n.path("phase").asText()).as(n.toString()).isEqualTo("Succeeded");
    assertThat(n.at("/outputs/result").asText()).isEqualTo("1 4 22");
    String key = n.at("/outputs/artifacts/0/s3/key").asText();
    assertThat(key).startsWith("art-wf/art-wf-count-").endsWith("/words.tgz");
    assertThat(n.at("/outputs/artifacts/0/s3").has("bucket"))
        .as("key-only, as Argo reports it")
        .isFalse();
    Path got = tmp.resolve("words.tgz");
    Files.write(
        got, S3.client().getObjectAsBytes(r -> r.bucket(S3Fixture.BUCKET).key(key)).asByteArray());
    assertThat(Archives.detect(got)).isEqualTo(Archives.Format.TGZ);
  }

  @Test
  void aMissingInputFailsTheNodeNamingTheKey() throws Exception {
    String wc =
        "{\"name\":\"count\",\"metadata\":{},\"outputs\":{},"
            + "\"inputs\":{\"artifacts\":[{\"name\":\"gone\",\"path\":\"/in/gone\",\"s3\":{\"key\":\"nowhere/gone.tgz\"}}]},"
            + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"wc/wc.wasm\"},\"args\":[\"/in/gone\"]}}}";
    argo.createTaskSet("argo", "art-missing", tasks("miss-1", wc));
    JsonNode n = argo.awaitFinal("argo", "art-missing", "miss-1");
    assertThat(n.path("phase").asText()).isEqualTo("Failed");
    assertThat(n.path("message").asText())
        .contains("input artifact 'gone'")
        .contains("nowhere/gone.tgz")
        .doesNotContain(S3Fixture.SECRET_KEY);
  }
}
