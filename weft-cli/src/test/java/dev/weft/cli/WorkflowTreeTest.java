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
  void bigLoopsAreCutAndSummedUp(@TempDir Path dir) {
    WorkflowStatus s;
    try (WorkflowRunner r = WorkflowRunner.builder().artifacts(new LocalDirectoryStore(dir)).build()) {
      s = r.run(WorkflowParser.parse("""
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
          """, dir), Map.of());
    }
    List<String> lines = WorkflowTree.lines(s.nodes(), 5);

    assertThat(lines.get(0)).startsWith("STEP").contains("TEMPLATE").contains("DURATION").contains("MESSAGE");
    assertThat(lines.get(1)).startsWith("✔ big ").contains("main");
    assertThat(lines.get(2)).startsWith("├─✔ wait(0:0)");
    assertThat(lines).hasSize(7);
    assertThat(lines.get(6)).isEqualTo("… more nodes not shown; all 32 nodes: 32 Succeeded");
  }
}
