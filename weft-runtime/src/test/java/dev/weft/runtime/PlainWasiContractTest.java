package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordinary WASI programs as steps: exit code decides, stdout is the result, outputs read by path.
 */
class PlainWasiContractTest {
  private static final WeftRuntime WEFT = WeftRuntime.create();
  private static final ModuleSource WC = ModuleSource.file(Examples.module("wc"));

  @Test
  void exitZeroSucceedsAndStdoutBecomesTheResult(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "one two three\nfour\n");
    TaskResult r = WEFT.run(WC, TaskSpec.builder().inputArtifact("text", "/text", text).build());

    assertThat(r.phase()).as(r.message()).isEqualTo(Phase.Succeeded);
    assertThat(r.result()).isEqualTo("2 4 19"); // one trailing newline removed, as Argo does
    assertThat(r.stdoutTail()).isEqualTo("2 4 19\n");
    assertThat(r.message()).isEmpty();
  }

  @Test
  void declaredOutputParameterIsReadFromItsGuestPath(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "a b c d e");
    TaskResult r =
        WEFT.run(
            WC,
            TaskSpec.builder()
                .inputArtifact("text", "/text", text)
                .outputParameter(OutputParameterSpec.fromPath("words", "/tmp/words.txt"))
                .build());

    assertThat(r.outputParameter("words")).contains("5");
  }

  @Test
  void argumentsReachTheProgram(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "x y");
    TaskResult r =
        WEFT.run(
            WC,
            TaskSpec.builder()
                .inputArtifact("doc", "/in/doc.txt", text)
                .args(List.of("/work/artifacts-in/in/doc.txt"))
                .build());

    assertThat(r.result()).isEqualTo("0 2 3");
  }

  @Test
  void nonZeroExitFailsWithTheExitCodeAndStderr() {
    TaskResult r = WEFT.run(WC, TaskSpec.builder().args(List.of("/work/nope.txt")).build());

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure()).contains(FailureKind.EXIT_CODE);
    assertThat(r.exitCode()).hasValue(2);
    assertThat(r.message()).isEqualTo("exited with code 2");
    assertThat(r.stderrTail()).contains("wc: cannot open /work/nope.txt");
  }

  @Test
  void missingDeclaredOutputTakesItsDefault(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "x");
    TaskResult r =
        WEFT.run(
            WC,
            TaskSpec.builder()
                .inputArtifact("text", "/text", text)
                .outputParameter(
                    new OutputParameterSpec(
                        "absent", Optional.of("/tmp/absent.txt"), Optional.of("fallback")))
                .build());

    assertThat(r.phase()).isEqualTo(Phase.Succeeded);
    assertThat(r.outputParameter("absent")).contains("fallback");
  }

  @Test
  void missingDeclaredOutputWithoutDefaultFailsNamingIt(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "x");
    TaskResult r =
        WEFT.run(
            WC,
            TaskSpec.builder()
                .inputArtifact("text", "/text", text)
                .outputParameter(OutputParameterSpec.fromPath("absent", "/tmp/absent.txt"))
                .build());

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure()).contains(FailureKind.OUTPUT_MISSING);
    assertThat(r.message())
        .contains("output parameter 'absent'")
        .contains("/tmp/absent.txt does not exist");
  }

  @Test
  void declaredOutputArtifactIsExportedFromItsGuestPath(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "x y z");
    TaskResult r =
        WEFT.run(
            WC,
            TaskSpec.builder()
                .inputArtifact("text", "/text", text)
                .outputArtifact("count", "/tmp/words.txt")
                .outputDir(tmp.resolve("out"))
                .build());

    assertThat(r.outputArtifacts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.name()).isEqualTo("count");
              assertThat(Files.readString(a.file())).isEqualTo("3");
            });
  }

  @Test
  void outputParameterThatIsNotUtf8FailsNamingIt(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "x");
    Path binary = Files.write(tmp.resolve("b.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});
    TaskResult r =
        WEFT.run(
            WC,
            TaskSpec.builder()
                .inputArtifact("text", "/text", text)
                .inputArtifact("bin", "/bin", binary)
                .outputParameter(OutputParameterSpec.fromPath("raw", "/work/artifacts-in/bin"))
                .build());

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure()).contains(FailureKind.RESULT_INVALID);
    assertThat(r.message()).contains("output parameter 'raw'").contains("not valid UTF-8");
  }

  @Test
  void inputArtifactPathsMustStayUnderArtifactsIn() {
    for (String bad : List.of("", "/", "../x", "/a/../../x", "//etc/passwd")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> new InputArtifact("a", bad, Path.of("x")))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("input artifact 'a'");
    }
    assertThat(new InputArtifact("a", "/in/a/../b.txt", Path.of("x")).path())
        .isEqualTo("/in/a/../b.txt");
  }

  @Test
  void outputParameterPathOutsideTheSandboxFails(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "x");
    for (String path : List.of("/etc/passwd", "/work/../../etc/passwd", "relative.txt")) {
      TaskResult r =
          WEFT.run(
              WC,
              TaskSpec.builder()
                  .inputArtifact("text", "/text", text)
                  .outputParameter(OutputParameterSpec.fromPath("leak", path))
                  .build());

      assertThat(r.phase()).as(path).isEqualTo(Phase.Failed);
      assertThat(r.failure()).as(path).contains(FailureKind.OUTPUT_ESCAPES_SANDBOX);
      assertThat(r.message()).as(path).contains("output parameter 'leak'").contains(path);
    }
  }
}
