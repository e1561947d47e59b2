package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The embedding API: the compiler's executor is the caller's to give, and closing releases what the
 * runtime holds.
 */
class RuntimeLifecycleTest {
  @Test
  void theTieredEngineCompilesOnTheExecutorGivenToTheBuilder() throws Exception {
    AtomicInteger compiles = new AtomicInteger();
    ExecutorService mine =
        Executors.newSingleThreadExecutor(WeftRuntime.taskThreads("test-compiler-"));
    try {
      try (WeftRuntime weft =
          WeftRuntime.builder()
              .engine(Engine.TIERED)
              .compilerExecutor(
                  r -> {
                    compiles.incrementAndGet();
                    mine.execute(r);
                  })
              .build()) {
        LoadedModule m = weft.load(ModuleSource.file(Examples.module("hello")));
        assertThat(m.awaitCompiled(Duration.ofSeconds(60))).isTrue();
        assertThat(compiles).hasValue(1);
        assertThat(weft.run(m, TaskSpec.builder().parameter("name", "x").build()).engine())
            .isEqualTo(Engine.COMPILER);
      }
      assertThat(mine.isShutdown())
          .as("closing the runtime leaves the caller's executor running")
          .isFalse();
    } finally {
      mine.shutdownNow();
    }
  }

  @Test
  void closingReleasesCompiledModulesAndRememberedIdentities() {
    WeftRuntime weft = WeftRuntime.create();
    weft.load(ModuleSource.file(Examples.module("hello")));
    assertThat(weft.stats().compiledModules()).isEqualTo(1);
    assertThat(weft.stats().rememberedIdentities()).isEqualTo(1);
    weft.close();
    assertThat(weft.stats().compiledModules()).isZero();
    assertThat(weft.stats().rememberedIdentities()).isZero();
  }
}
