package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which directories get WASI file descriptors 3, 4, …: the sandbox's first, or host mounts first as
 * in wasmtime.
 */
class PreopenOrderTest {
  private static final ModuleSource PREOPENS =
      ModuleSource.file(WasiConformanceTest.DIR.resolve("preopens.wasm"));

  @Test
  void sandboxDirectoriesComeFirstByDefault(@TempDir Path a, @TempDir Path b) {
    TaskResult r =
        WeftRuntime.builder()
            .engine(Engine.INTERPRETER)
            .build()
            .run(PREOPENS, TaskSpec.builder().mount(a, "/data").mount(b, "/more/").build());

    assertThat(r.stdoutTail()).as(r.message()).isEqualTo("3 /work\n4 /tmp\n5 /data\n6 /more\n");
  }

  @Test
  void mountsFirstGivesTheMountsFdThreeOnwardsInTheirOrderAndKeepsWork(
      @TempDir Path a, @TempDir Path b) {
    TaskResult r =
        WeftRuntime.builder()
            .engine(Engine.INTERPRETER)
            .preopenOrder(PreopenOrder.MOUNTS_FIRST)
            .build()
            .run(PREOPENS, TaskSpec.builder().mount(b, "/more/").mount(a, "/data").build());

    assertThat(r.stdoutTail()).as(r.message()).isEqualTo("3 /more\n4 /data\n5 /work\n6 /tmp\n");
  }

  @Test
  void contractV1ModulesStillFindWorkWhenMountsComeFirst(@TempDir Path a) throws Exception {
    Files.writeString(a.resolve("unused.txt"), "x");
    TaskResult r =
        WeftRuntime.builder()
            .preopenOrder(PreopenOrder.MOUNTS_FIRST)
            .build()
            .run(
                ModuleSource.file(Examples.module("hello")),
                TaskSpec.builder().mount(a, "/data").parameter("name", "fd order").build());

    assertThat(r.phase()).as(r.message()).isEqualTo(Phase.Succeeded);
    assertThat(r.outputParameter("greeting")).contains("Hello, fd order!");
  }
}
