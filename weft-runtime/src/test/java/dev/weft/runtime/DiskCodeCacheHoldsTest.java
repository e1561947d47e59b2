package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weft exec picks the compiler only when the module's compiled code is already on disk. */
class DiskCodeCacheHoldsTest {
  @Test
  void holdsIsFalseBeforeAndTrueAfterTheModuleIsCompiledIntoTheCache(@TempDir Path code)
      throws Exception {
    Path hello = Examples.module("hello");
    byte[] bytes = Files.readAllBytes(hello);
    assertThat(WeftRuntime.compiledCodeCached(code, bytes)).isFalse();

    WeftRuntime.builder()
        .engine(Engine.COMPILER)
        .compiledCodeDir(code)
        .build()
        .load(ModuleSource.file(hello));

    assertThat(WeftRuntime.compiledCodeCached(code, bytes)).isTrue();
    assertThat(WeftRuntime.compiledCodeCached(code, Files.readAllBytes(Examples.module("wc"))))
        .isFalse();
  }
}
