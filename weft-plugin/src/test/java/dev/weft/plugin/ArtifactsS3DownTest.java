package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.argo.ArtifactSettings;
import dev.weft.artifacts.ArtifactRepository;
import dev.weft.artifacts.CuttingProxy;
import dev.weft.artifacts.S3Fixture;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S3 going down while {@code weft serve} stores a step's output: the node fails, no object appears.
 */
class ArtifactsS3DownTest {
  @RegisterExtension static final S3Fixture S3 = new S3Fixture();

  @Test
  void anUploadCutOffMidwayFailsTheStepAndLeavesNoObject() throws Exception {
    // The relay passes the first 1,500 bytes the client sends (request headers and part of the
    // body), then drops S3.
    try (CuttingProxy cut = new CuttingProxy(S3.port(), 1500)) {
      ArtifactRepository repo =
          ArtifactRepository.parse(
              "s3: {endpoint: '127.0.0.1:"
                  + cut.port()
                  + "', bucket: "
                  + S3Fixture.BUCKET
                  + ", insecure: true}",
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
      try (PluginServer server =
          PluginServer.start(
              ServerConfig.defaults(Optional.empty())
                  .withModuleDir(PluginClient.EXAMPLES)
                  .withArtifacts(artifacts))) {
        // 4 KiB of text in, its word count out; the output tgz is larger than what the relay lets
        // through with its headers.
        String text = "word ".repeat(800) + "\\n";
        PluginClient.Reply r =
            new PluginClient(server, null)
                .execute(
                    PluginClient.step(
                        "u-down",
                        "{\"module\":{\"file\":\"wc/wc.wasm\"},\"args\":[\"/in/t\"]}",
                        "\"inputs\":{\"artifacts\":[{\"name\":\"t\",\"path\":\"/in/t\",\"raw\":{\"data\":\""
                            + text
                            + "\"}}]},"
                            + "\"outputs\":{\"artifacts\":[{\"name\":\"copy\",\"path\":\"/in/t\",\"archive\":{\"none\":{}}}]}"));

        assertThat(r.phase()).isEqualTo("Failed");
        assertThat(r.message())
            .contains("output artifact 'copy'")
            .contains("wf/wf-t-")
            .contains("/t'");
        assertThat(cut.wentDown()).isTrue();
        String key = r.message().replaceAll("(?s).*'(wf/wf-t-\\d+/t)'.*", "$1");
        assertThat(key).startsWith("wf/wf-t-");
        assertThat(S3.exists(key)).as(key).isFalse();
        assertThat(
                S3.client().listObjectsV2(b -> b.bucket(S3Fixture.BUCKET).prefix("wf/")).contents())
            .isEmpty();
        assertThat(List.of(r.message())).noneMatch(m -> m.contains(S3Fixture.SECRET_KEY));
      }
    }
  }
}
