package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every workflow in examples/workflows runs through the engine with its documented outcome. */
class ExamplesTest {
  @Test
  void helloWorldGreetsTheArgument() {
    WorkflowStatus s = Runs.example("hello-world.yaml", Map.of("name", "Wasm"));

    assertThat(s.phase()).isEqualTo("Succeeded");
    assertThat(s.name()).matches("hello-world-[a-z0-9]{5}");
    assertThat(s.root().outputs().parameters()).containsEntry("greeting", "Hello, Wasm!");
    assertThat(s.root().type).isEqualTo("Plugin");
    assertThat(s.root().id).isEqualTo(s.name());
  }
}
