package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argo's contract: an input is also at its declared path, so unmodified programs find it. */
class DeclaredArtifactPathsTest {
  private static final WeftRuntime WEFT = WeftRuntime.create();
  private static final ModuleSource WC = ModuleSource.file(Examples.module("wc"));

  @Test
  void anInputIsReadableAtItsDeclaredPathInTmp(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "one two three\n");
    TaskResult r =
        WEFT.run(
            WC,
            TaskSpec.builder()
                .inputArtifact("message", "/tmp/message", text)
                .args(List.of("/tmp/message"))
                .build());

    assertThat(r.phase()).as(r.message() + r.stderrTail()).isEqualTo(Phase.Succeeded);
    assertThat(r.result()).isEqualTo("1 3 14");
  }

  @Test
  void anInputInADirectoryOutsideWorkAndTmpGetsThatDirectory(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "a b\n");
    for (String guest : List.of("/in/data.txt", "/work/artifacts-in/in/data.txt")) {
      TaskResult r =
          WEFT.run(
              WC,
              TaskSpec.builder()
                  .inputArtifact("data", "/in/data.txt", text)
                  .args(List.of(guest))
                  .build());
      assertThat(r.phase())
          .as(guest + ": " + r.message() + r.stderrTail())
          .isEqualTo(Phase.Succeeded);
      assertThat(r.result()).as(guest).isEqualTo("1 2 4");
    }
  }

  @Test
  void aDirectoryInputIsAtItsDeclaredPathToo(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve("d/sub"));
    Files.writeString(tmp.resolve("d/sub/f.txt"), "x y z\n");
    TaskResult r =
        WEFT.run(
            WC,
            TaskSpec.builder()
                .inputArtifact("dir", "/data/dir", tmp.resolve("d"))
                .args(List.of("/data/dir/sub/f.txt"))
                .build());
    assertThat(r.result()).as(r.message() + r.stderrTail()).isEqualTo("1 3 6");
  }

  @Test
  void twoInputsAtOneDeclaredPathAreAnError(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "a\n");
    TaskResult r =
        WEFT.run(
            WC,
            TaskSpec.builder()
                .inputArtifact("a", "/in/x", text)
                .inputArtifact("b", "/in/x/../x", text)
                .build());
    assertThat(r.phase()).isEqualTo(Phase.Error);
    assertThat(r.message()).contains("input artifact 'b'").contains("already taken");
  }

  @Test
  void aDeclaredOutputPathGetsItsDirectoryToo() {
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("probe")),
            TaskSpec.builder()
                .outputArtifact("report", "/out/report.txt")
                .args(List.of("/out", "/elsewhere"))
                .build());
    assertThat(r.stdoutTail()).contains("open /out: ok").doesNotContain("open /elsewhere: ok");
    // probe writes nothing there, so the declared output is missing: named, not an escape
    assertThat(r.failure()).contains(FailureKind.OUTPUT_MISSING);
    assertThat(r.message()).contains("/out/report.txt");
  }
}
