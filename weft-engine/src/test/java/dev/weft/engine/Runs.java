package dev.weft.engine;

import dev.weft.artifacts.LocalDirectoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One shared runner for the engine tests (one runtime, so modules compile once), and workflow
 * helpers.
 */
final class Runs {
  static final Path EXAMPLES =
      Path.of(System.getProperty("weft.examples", "../examples/modules"))
          .toAbsolutePath()
          .normalize();
  static final Path WORKFLOWS = EXAMPLES.getParent().resolve("workflows");
  static final Path STORE;
  static final WorkflowRunner RUNNER;

  static {
    try {
      STORE = Files.createTempDirectory("weft-engine-test-store-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // 4 workers: each wasm task reserves its memory limits from the host budget (60% of the heap)
    RUNNER =
        WorkflowRunner.builder().artifacts(new LocalDirectoryStore(STORE)).parallelism(4).build();
  }

  private Runs() {}

  /** Runs YAML whose module paths are relative to examples/modules. */
  static WorkflowStatus yaml(String yaml, Map<String, String> params) {
    return RUNNER.run(WorkflowParser.parse(yaml, EXAMPLES), params);
  }

  static WorkflowStatus yaml(String yaml) {
    return yaml(yaml, Map.of());
  }

  static WorkflowStatus example(String file, Map<String, String> params) {
    return RUNNER.run(WorkflowParser.parse(WORKFLOWS.resolve(file)), params);
  }

  /** The phase of the node with this display name (the first one). */
  static NodePhase phase(WorkflowStatus s, String displayName) {
    return node(s, displayName).phase();
  }

  static Node node(WorkflowStatus s, String displayName) {
    return s.nodes().stream()
        .filter(n -> n.displayName().equals(displayName))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no node '"
                        + displayName
                        + "' in "
                        + s.nodes().stream().map(n -> n.displayName()).toList()));
  }

  static final String HELLO = "{file: hello/hello.wasm}";
  static final String FAIL = "{file: adversarial/fail.wasm}";
}
