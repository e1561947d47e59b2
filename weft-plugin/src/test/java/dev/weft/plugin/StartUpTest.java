package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.argo.ArtifactSettings;
import dev.weft.artifacts.ArtifactRepository;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * weft serve opens its port before it makes the step machinery; if that fails, the port is closed
 * again.
 */
class StartUpTest {
  @Test
  void aRepositoryWhoseSecretsCannotBeReadFailsTheStartAndFreesThePort() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    ArtifactRepository repo =
        ArtifactRepository.parse(
            """
        s3:
          bucket: weft-bucket
          endpoint: 127.0.0.1:1
          accessKeySecret: {name: creds, key: a}
          secretKeySecret: {name: creds, key: s}
        """,
            Optional.empty());
    ServerConfig config =
        ServerConfig.defaults(Optional.empty())
            .withPort(port)
            .withArtifacts(
                ArtifactSettings.none().withRepository(repo, Optional.empty(), Map.of()));
    assertThatThrownBy(() -> PluginServer.start(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("creds");
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }
}
