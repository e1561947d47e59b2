package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code weft agent manifest} prints the committed manifests/agent installs; bad flags are usage
 * errors naming the flag.
 */
class AgentCommandTest {
  @Test
  void theNamespaceInstallIsTheCommittedOne() throws Exception {
    Cli.Run r = Cli.weft("agent", "manifest");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .isEqualTo(Files.readString(Path.of("../manifests/agent/namespace-install.yaml")));
    assertThat(r.out())
        .contains("kind: Role\n")
        .contains("- $(POD_NAMESPACE)")
        .doesNotContain("ClusterRole");
  }

  @Test
  void theClusterInstallHasAClusterRoleAndTheImageCanBeReplaced() throws Exception {
    Cli.Run r = Cli.weft("agent", "manifest", "--cluster", "--image", "example.test/weft:dev");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("kind: ClusterRole\n")
        .contains("image: example.test/weft:dev")
        .doesNotContain("ghcr.io/weft-dev/weft:0.1.0");
  }

  @Test
  void theControllerSettingsDisableAgentPods() {
    Cli.Run r = Cli.weft("agent", "manifest", "--controller");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("disableAgentPodCreation: \"true\"")
        .contains("DEFAULT_REQUEUE_TIME");
  }

  @Test
  void aPatchDelayOverTheBoundIsAUsageErrorNamingTheFlag() {
    Cli.Run r =
        Cli.weft(
            "agent",
            "--no-leases",
            "--identity",
            "t",
            "--patch-delay",
            "500ms",
            "--no-cache",
            "--kubeconfig",
            "/nonexistent/kubeconfig");
    assertThat(r.status()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("--kubeconfig /nonexistent/kubeconfig cannot be read");
    Cli.Run r2 =
        Cli.weft("agent", "--no-leases", "--identity", "t", "--patch-delay", "500ms", "--no-cache");
    assertThat(r2.status()).isEqualTo(Main.USAGE);
    assertThat(r2.err()).contains("--patch-delay must be between 0 and 100ms, got 500ms");
  }
}
