package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiered engine: a new module's first tasks start in the interpreter, later ones run compiled.
 */
class TieredEngineTest {
  private static WeftRuntime tiered() {
    return WeftRuntime.builder().engine(Engine.TIERED).build();
  }

  private static String checksum(TaskResult r) {
    return r.stdoutTail()
        .lines()
        .filter(l -> l.startsWith("checksum "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no checksum in: " + r.stdoutTail()));
  }

  private static void awaitCompiled(LoadedModule m) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (m.engine() != Engine.COMPILER && System.nanoTime() < until) Thread.sleep(10);
    assertThat(m.engine())
        .as("engine once background compilation is done")
        .isEqualTo(Engine.COMPILER);
  }

  @Test
  void firstTaskOfANewModuleRunsBeforeItIsCompiledAndLaterTasksRunCompiled() throws Exception {
    WeftRuntime weft = tiered();
    LoadedModule hello = weft.load(ModuleSource.file(Examples.module("hello")));
    TaskResult first = weft.run(hello, TaskSpec.builder().parameter("name", "tiers").build());

    assertThat(first.succeeded()).as(first.message()).isTrue();
    assertThat(first.outputParameter("greeting")).contains("Hello, tiers!");

    awaitCompiled(hello);
    LoadedModule again = weft.load(ModuleSource.file(Examples.module("hello")));
    assertThat(again.fromCache()).isTrue();
    assertThat(again.engine()).isEqualTo(Engine.COMPILER);
    TaskResult later = weft.run(again, TaskSpec.builder().parameter("name", "tiers").build());
    assertThat(later.engine()).isEqualTo(Engine.COMPILER);
    assertThat(later.outputParameter("greeting")).isEqualTo(first.outputParameter("greeting"));
    assertThat(weft.stats().compiledModules()).isEqualTo(1);
  }

  @Test
  void aLongTaskStartedInTheInterpreterIsRestartedOnCompiledCodeWithTheSameResult() {
    // fib(32) takes tens of seconds interpreted and well under a second compiled
    TaskSpec spec = TaskSpec.builder().args(List.of("fib", "32", "1")).build();
    TaskResult tieredRun = tiered().run(ModuleSource.file(Examples.module("compute")), spec);
    TaskResult compiledRun =
        WeftRuntime.create().run(ModuleSource.file(Examples.module("compute")), spec);

    assertThat(tieredRun.succeeded()).as(tieredRun.message()).isTrue();
    assertThat(tieredRun.engine()).isEqualTo(Engine.COMPILER);
    assertThat(checksum(tieredRun)).isEqualTo(checksum(compiledRun));
  }

  @Test
  void aTaskWithWritableHostMountsWaitsForTheCompilerInsteadOfRiskingARestart(@TempDir Path dir) {
    TaskResult r =
        tiered()
            .run(
                ModuleSource.file(Examples.module("hello")),
                TaskSpec.builder().parameter("name", "m").mount(dir, "/host").build());

    assertThat(r.succeeded()).as(r.message()).isTrue();
    assertThat(r.engine()).isEqualTo(Engine.COMPILER);
  }

  @Test
  void aRestartKeepsTheTasksTimeLimit() {
    // the endless loop is restarted when its compiled code is ready; the limit still counts from
    // the first start
    TaskResult r =
        tiered()
            .run(
                ModuleSource.file(Examples.adversarial("loop")),
                TaskSpec.builder()
                    .limits(Limits.defaults().withTimeout(Duration.ofMillis(1500)))
                    .build());

    assertThat(r.failure()).contains(FailureKind.TIMEOUT);
    assertThat(r.message()).contains("time limit of 1500ms");
  }

  @Test
  void loadErrorsAreThrownAtLoadAsWithTheCompiler() {
    assertThatThrownBy(
            () -> tiered().load(ModuleSource.file(Examples.adversarial("unknown_import"))))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("cannot be linked");
  }
}
