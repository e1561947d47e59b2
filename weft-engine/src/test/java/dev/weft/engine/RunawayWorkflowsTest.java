package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workflows that would run forever or without bound end with a named limit, and the runner stays
 * usable.
 */
class RunawayWorkflowsTest {
  @Test
  void aTemplateCallingItselfStopsAtArgosRecursionDepth() {
    WorkflowStatus s =
        Runs.yaml(
            SemanticsTest.wf(
                "a",
                """
        - name: a
          steps:
          - - name: again
              template: a
        """));

    assertThat(s.phase()).isIn(NodePhase.Error, NodePhase.Failed);
    assertThat(s.nodes())
        .anySatisfy(
            n ->
                assertThat(n.message())
                    .contains("Maximum recursion depth exceeded")
                    .contains("over the limit of 100"));
  }

  @Test
  void twoTemplatesCallingEachOtherInADagStopToo() {
    WorkflowStatus s =
        Runs.yaml(
            SemanticsTest.wf(
                "a",
                """
        - name: a
          dag:
            tasks:
            - name: to-b
              template: b
        - name: b
          dag:
            tasks:
            - name: to-a
              template: a
        """));

    assertThat(s.phase()).isIn(NodePhase.Error, NodePhase.Failed);
    assertThat(s.nodes())
        .anySatisfy(n -> assertThat(n.message()).contains("Maximum recursion depth exceeded"));
  }

  @Test
  void aSequenceToTheLargestIntegerIsRefusedWithoutBuildingIt() {
    WorkflowStatus s =
        Runs.yaml(
            SemanticsTest.wf(
                "main",
                """
        - name: main
          steps:
          - - name: each
              template: leaf
              withSequence: {start: "0", end: "9223372036854775807"}
        - name: leaf
          suspend: {duration: "0s"}
        """));

    assertThat(s.phase()).isIn(NodePhase.Error, NodePhase.Failed);
    assertThat(s.nodes())
        .anySatisfy(
            n ->
                assertThat(n.message())
                    .contains("withSequence from 0 to 9223372036854775807")
                    .contains("over weft run's limit of 1000000"));
  }

  @Test
  void aHugeRetryLimitIsRefusedByName() {
    WorkflowStatus s =
        Runs.yaml(
            SemanticsTest.wf(
                "main",
                """
        - name: main
          retryStrategy: {limit: "100000000"}
          plugin:
            wasm:
              module: {file: adversarial/fail.wasm}
        """));

    assertThat(s.nodes())
        .anySatisfy(
            n ->
                assertThat(n.message())
                    .contains("retryStrategy.limit is 100000000, over weft run's limit of 10000"));
  }

  @Test
  void aWorkflowFileOverTheSizeLimitIsRefusedBeforeParsing(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, "# " + "x".repeat(5 << 20) + "\n");

    assertThatThrownBy(() -> WorkflowParser.parse(big))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("over weft run's limit of 4194304 bytes");
  }

  @Test
  void anUndefinedYamlAliasIsAnErrorNotItsName() {
    assertThatThrownBy(
            () ->
                WorkflowParser.parse(
                    SemanticsTest.wf(
                        "main",
                        """
        - name: main
          suspend: {duration: *a0}
        """),
                    Path.of(".")))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("YAML aliases (*a0) are not supported");
  }
}
