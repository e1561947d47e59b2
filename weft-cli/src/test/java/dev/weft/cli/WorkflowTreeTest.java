package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.artifacts.LocalDirectoryStore;
import dev.weft.engine.WorkflowParser;
import dev.weft.engine.WorkflowRunner;
import dev.weft.engine.WorkflowStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node tree weft run draws: argo get's layout, bounded in height for big loops. */
class WorkflowTreeTest {
  @Test
  void parallelStepsAreGroupedAsArgoGetDrawsThem(@TempDir Path dir) {
    WorkflowStatus s;
    try (WorkflowRunner r =
        WorkflowRunner.builder().artifacts(new LocalDirectoryStore(dir)).build()) {
      s =
          r.run(
              WorkflowParser.parse(
                  """
          apiVersion: argoproj.io/v1alpha1
          kind: Workflow
          metadata: {name: par}
          spec:
            entrypoint: main
            templates:
              - name: main
                steps:
                  - - {name: first, template: wait}
                  - - {name: a, template: wait}
                    - {name: b, template: inner}
                    - {name: c, template: wait}
                  - - {name: d, template: wait}
                    - {name: e, template: wait}
              - name: inner
                steps:
                  - - {name: x, template: wait}
              - name: wait
                suspend: {duration: "0"}
          """,
                  dir),
              Map.of());
    }
    List<String> steps =
        WorkflowTree.lines(s.nodes(), 50).stream()
            .skip(1)
            .map(l -> l.replaceAll("^(\\s*\\S.*?)\\s{2,}.*$", "$1"))
            .toList();

    assertThat(steps)
        .containsExactly(
            "✔ par",
            "├───✔ first",
            "├─┬─✔ a",
            "│ ├─✔ b",
            "│ │ └───✔ x",
            "│ └─✔ c",
            "└─┬─✔ d",
            "  └─✔ e");
  }

  @Test
  void linesAreCutToTheWidthWithAnEllipsis() {
    assertThat(WorkflowTree.fit("✔ step  template  1.2s  a long message", 20))
        .isEqualTo("✔ step  template  1…");
    assertThat(WorkflowTree.fit("short", 20)).isEqualTo("short");
    assertThat(WorkflowTree.fit("exactly twenty chars", 20)).isEqualTo("exactly twenty chars");
  }

  @Test
  void bigLoopsAreCutAndSummedUp(@TempDir Path dir) {
    WorkflowStatus s;
    try (WorkflowRunner r =
        WorkflowRunner.builder().artifacts(new LocalDirectoryStore(dir)).build()) {
      s =
          r.run(
              WorkflowParser.parse(
                  """
          apiVersion: argoproj.io/v1alpha1
          kind: Workflow
          metadata: {name: big}
          spec:
            entrypoint: main
            templates:
              - name: main
                steps:
                  - - {name: wait, template: wait, withSequence: {count: "30"}}
              - name: wait
                suspend: {duration: "0"}
          """,
                  dir),
              Map.of());
    }
    List<String> lines = WorkflowTree.lines(s.nodes(), 5);

    assertThat(lines.get(0))
        .startsWith("STEP")
        .contains("TEMPLATE")
        .contains("DURATION")
        .contains("MESSAGE");
    assertThat(lines.get(1)).startsWith("✔ big ").contains("main");
    assertThat(lines.get(2))
        .as("a loop's nodes ran in parallel: drawn as one group")
        .startsWith("└─┬─✔ wait(0:0)");
    assertThat(lines.get(3)).startsWith("  ├─✔ wait(1:1)");
    assertThat(lines).hasSize(7);
    assertThat(lines.get(6)).isEqualTo("… more nodes not shown; all 32 nodes: 32 Succeeded");
  }
}
