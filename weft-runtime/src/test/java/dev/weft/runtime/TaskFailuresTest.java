package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures during a task are results with a specific kind and a message naming the cause. */
class TaskFailuresTest {
  private static final WeftRuntime WEFT = WeftRuntime.create();

  @Test
  void trapNamesItsKindAndFunction() {
    TaskResult r =
        WEFT.run(ModuleSource.file(Examples.adversarial("trap")), TaskSpec.builder().build());

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure()).contains(FailureKind.TRAP);
    assertThat(r.message()).contains("unreachable").contains("in function 'explode'");
    assertThat(r.stderrTail()).contains("about to trap");
    assertThat(r.exitCode()).isEmpty();
  }

  @Test
  void exitCodeIsReportedWithStderr() {
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("fail")),
            TaskSpec.builder().args(java.util.List.of("42")).build());

    assertThat(r.failure()).contains(FailureKind.EXIT_CODE);
    assertThat(r.exitCode()).hasValue(42);
    assertThat(r.message()).isEqualTo("exited with code 42");
    assertThat(r.stderrTail()).contains("failing on purpose with exit code 42");
  }

  @Test
  void invalidResultJsonNamesThePosition() {
    TaskResult r =
        WEFT.run(ModuleSource.file(Examples.adversarial("badjson")), TaskSpec.builder().build());

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure()).contains(FailureKind.RESULT_INVALID);
    assertThat(r.message()).startsWith("result.json is not valid JSON at line 1, column ");
  }

  @Test
  void outputArtifactPathClimbingOutOfTheSandboxFails(@TempDir Path out) {
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("escape")),
            TaskSpec.builder().parameter("variant", "dotdot").outputDir(out).build());

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure()).contains(FailureKind.OUTPUT_ESCAPES_SANDBOX);
    assertThat(r.message()).contains("output artifact 'passwd'").contains("../../../etc/passwd");
    assertThat(r.outputArtifacts()).as("nothing is exported from a failed task").isEmpty();
  }

  @Test
  void outputArtifactPathMadeAbsoluteWithADoubleSlashFails(@TempDir Path out) throws Exception {
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("escape")),
            TaskSpec.builder().parameter("variant", "absolute").outputDir(out).build());

    assertThat(r.failure()).contains(FailureKind.OUTPUT_ESCAPES_SANDBOX);
    assertThat(r.message()).contains("//etc/passwd");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("passwd");
    }
  }
}
