package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Module contract v1 (input.json in, result.json out), on the compiler and the interpreter. */
class ContractV1Test {
  private static final WeftRuntime COMPILER = WeftRuntime.builder().engine(Engine.COMPILER).build();
  private static final WeftRuntime INTERPRETER =
      WeftRuntime.builder().engine(Engine.INTERPRETER).build();

  private static WeftRuntime weft(Engine e) {
    return e == Engine.COMPILER ? COMPILER : INTERPRETER;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void helloReadsItsParameterAndReportsAnOutputParameter(Engine engine) {
    TaskResult r =
        weft(engine)
            .run(
                ModuleSource.file(Examples.module("hello")),
                TaskSpec.builder().workflowName("wf").parameter("name", "World").build());

    assertThat(r.phase()).isEqualTo(Phase.Succeeded);
    assertThat(r.failure()).isEmpty();
    assertThat(r.message()).isEqualTo("greeted World");
    assertThat(r.outputParameter("greeting")).contains("Hello, World!");
    assertThat(r.result()).isEqualTo("Hello, World!");
    assertThat(r.exitCode()).hasValue(0);
    assertThat(r.peakMemoryBytes()).isPositive();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void parameterValuesSurviveJsonEscapingBothWays(Engine engine) {
    String tricky = "Wa\"sm \\ é ✓ \n tab\t";
    TaskResult r =
        weft(engine)
            .run(
                ModuleSource.file(Examples.module("hello")),
                TaskSpec.builder()
                    .parameter("name", tricky)
                    .pluginOption("nested", java.util.Map.of("a", java.util.List.of(1, "}")))
                    .build());

    assertThat(r.outputParameter("greeting")).contains("Hello, " + tricky + "!");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void rustModuleReportsFailureThroughResultJson(Engine engine) {
    TaskResult r =
        weft(engine).run(ModuleSource.file(Examples.module("reverse")), TaskSpec.builder().build());

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure()).contains(FailureKind.MODULE_REPORTED);
    assertThat(r.message()).isEqualTo("Expected parameter \"text\" to be present");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void rustModuleReadsAnInputArtifactAndWritesAnOutputArtifact(Engine engine, @TempDir Path tmp)
      throws Exception {
    Path in = Files.writeString(tmp.resolve("in.txt"), "stressed");
    Path out = tmp.resolve("out");
    TaskResult r =
        weft(engine)
            .run(
                ModuleSource.file(Examples.module("reverse")),
                TaskSpec.builder()
                    .parameter("text", "héllo")
                    .inputArtifact("text", "/text.txt", in)
                    .outputDir(out)
                    .build());

    assertThat(r.phase()).as(r.message()).isEqualTo(Phase.Succeeded);
    assertThat(r.outputParameter("reversed")).contains("olléh");
    assertThat(r.outputParameter("length")).contains("5");
    assertThat(r.outputArtifacts()).hasSize(1);
    OutputArtifact a = r.outputArtifacts().get(0);
    assertThat(a.name()).isEqualTo("reversed");
    assertThat(a.path()).isEqualTo("/reversed.txt");
    assertThat(a.file()).isEqualTo(out.resolve("reversed"));
    assertThat(Files.readString(a.file())).isEqualTo("desserts");
    assertThat(a.sizeBytes()).isEqualTo(8);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void moduleResultsAreIndependentBetweenRuns(Engine engine) {
    LoadedModule hello = weft(engine).load(ModuleSource.file(Examples.module("hello")));
    TaskResult a = weft(engine).run(hello, TaskSpec.builder().parameter("name", "A").build());
    TaskResult b = weft(engine).run(hello, TaskSpec.builder().build());

    assertThat(a.outputParameter("greeting")).contains("Hello, A!");
    assertThat(b.outputParameter("greeting")).contains("Hello, World!");
  }
}
