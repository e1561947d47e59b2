package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Deny by default: the probe module reports what it can see, on both sandbox storages. */
class SandboxTest {
  private static final ModuleSource PROBE = ModuleSource.file(Examples.adversarial("probe"));

  private static TaskResult probe(SandboxStorage storage, TaskSpec.Builder spec) {
    return WeftRuntime.builder().sandboxStorage(storage).build().run(PROBE, spec.build());
  }

  @ParameterizedTest
  @EnumSource(SandboxStorage.class)
  void moduleSeesNoHostEnvironmentNoHostFilesAndEmptyStdin(SandboxStorage storage) {
    TaskResult r =
        probe(
            storage,
            TaskSpec.builder()
                .args(
                    List.of(
                        "/etc/passwd",
                        "/work/input.json",
                        "/work/../etc/passwd",
                        "/tmp/../etc/hostname")));

    assertThat(r.phase()).isEqualTo(Phase.Succeeded);
    assertThat(r.stdoutTail())
        .contains("envc=0\n")
        .contains("stdin=\n")
        .contains("open /work/input.json: ok")
        .doesNotContain("open /etc/passwd: ok")
        .doesNotContain("open /work/../etc/passwd: ok")
        .doesNotContain("open /tmp/../etc/hostname: ok");
  }

  @ParameterizedTest
  @EnumSource(SandboxStorage.class)
  void grantedEnvArgsAndStdinReachTheModule(SandboxStorage storage) {
    TaskResult r =
        probe(
            storage,
            TaskSpec.builder()
                .env("GREETING", "hi")
                .args(List.of("x"))
                .stdin("piped".getBytes(StandardCharsets.UTF_8)));

    assertThat(r.stdoutTail())
        .contains("env=GREETING=hi\n")
        .contains("envc=1\n")
        .contains("arg[0]=probe.wasm\n")
        .contains("arg[1]=x\n")
        .contains("stdin=piped\n");
  }

  @ParameterizedTest
  @EnumSource(SandboxStorage.class)
  void mountedHostDirectoryIsVisibleButNotItsParent(SandboxStorage storage, @TempDir Path tmp)
      throws Exception {
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    Files.writeString(shared.resolve("v.txt"), "visible");
    Files.writeString(tmp.resolve("secret.txt"), "secret");
    TaskResult r =
        probe(
            storage,
            TaskSpec.builder()
                .mount(shared, "/data")
                .args(
                    List.of(
                        "/data/v.txt",
                        "/data/../secret.txt",
                        "/data/../../" + tmp.resolve("secret.txt"))));

    assertThat(r.stdoutTail()).contains("open /data/v.txt: ok").doesNotContain("secret.txt: ok");
  }

  @ParameterizedTest
  @EnumSource(SandboxStorage.class)
  void eachTaskStartsWithAFreshSandbox(SandboxStorage storage, @TempDir Path tmp) throws Exception {
    WeftRuntime weft = WeftRuntime.builder().sandboxStorage(storage).build();
    Path text = Files.writeString(tmp.resolve("t.txt"), "a");
    // wc writes /tmp/words.txt; the next task must not see it
    weft.run(
        ModuleSource.file(Examples.module("wc")),
        TaskSpec.builder().inputArtifact("text", "/text", text).build());
    TaskResult r = weft.run(PROBE, TaskSpec.builder().args(List.of("/tmp/words.txt")).build());

    assertThat(r.stdoutTail()).contains("open /tmp/words.txt: No such file or directory");
  }

  @Test
  void stagingInputsFromAnotherInMemoryFileSystemDoesNotUseUpItsSpace() throws Exception {
    // weft serve stages inputs from a long-lived in-memory scratch space; copying must not charge
    // it
    try (java.nio.file.FileSystem scratch =
        com.google.common.jimfs.Jimfs.newFileSystem(
            com.google.common.jimfs.Configuration.unix().toBuilder()
                .setMaxSize(1L << 20)
                .build())) {
      java.nio.file.Path input =
          java.nio.file.Files.write(scratch.getPath("/input.bin"), new byte[600 * 1024]);
      WeftRuntime weft = WeftRuntime.create();
      for (int i = 0; i < 4; i++) {
        TaskResult r =
            weft.run(
                ModuleSource.file(Examples.module("hello")),
                TaskSpec.builder()
                    .parameter("name", "n")
                    .inputArtifact("data", "/data.bin", input)
                    .build());
        assertThat(r.phase()).as("task %d: %s", i, r.message()).isEqualTo(Phase.Succeeded);
      }
    }
  }
}
