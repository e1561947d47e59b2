package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.argo.ArtifactSettings;
import dev.weft.runtime.Limits;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staged artifacts are held within the sandbox limit: a tar bomb fails its step, and the server
 * goes on.
 */
class StagingBudgetTest {
  static final String TOKEN = "staging-budget-token";
  @TempDir static Path store;
  static PluginServer server;
  static PluginClient argo;

  @BeforeAll
  static void start() throws Exception {
    Path src = Files.createDirectories(store.resolve("src"));
    try (OutputStream out = Files.newOutputStream(src.resolve("zeros.bin"))) {
      byte[] mib = new byte[1 << 20];
      for (int i = 0; i < 64; i++) out.write(mib); // 64 MiB of zeros: a few hundred KiB gzip'd
    }
    Files.createDirectories(store.resolve("repo/in"));
    Process tar =
        new ProcessBuilder("tar", "czf", store.resolve("repo/in/bomb.tgz").toString(), "zeros.bin")
            .directory(src.toFile())
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    server =
        PluginServer.start(
            ServerConfig.defaults(Optional.of(TOKEN))
                .withModuleDir(PluginClient.EXAMPLES)
                .withLimits(Limits.defaults().withMaxSandboxBytes(8L << 20))
                .withArtifacts(ArtifactSettings.none().withLocalDir(store.resolve("repo"))));
    argo = new PluginClient(server, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anInputThatUnpacksPastTheSandboxLimitFailsItsStepAndTheNextStepRuns() throws Exception {
    PluginClient.Reply bomb =
        argo.execute(
            PluginClient.step(
                "bomb",
                "{\"module\":{\"file\":\"wc/wc.wasm\"},\"args\":[\"/tmp/in\"]}",
                "\"inputs\":{\"artifacts\":[{\"name\":\"in\",\"path\":\"/tmp/in\",\"s3\":{\"key\":\"in/bomb.tgz\"}}]}"));
    PluginClient.Reply hello =
        argo.execute(
            PluginClient.step("after", "{\"module\":{\"file\":\"hello/hello.wasm\"}}", ""));

    assertThat(bomb.phase()).isEqualTo("Failed");
    assertThat(bomb.message()).contains("sandbox file system limit of 8MiB (limits.maxSandbox)");
    assertThat(hello.phase()).as(hello.message()).isEqualTo("Succeeded");
  }
}
