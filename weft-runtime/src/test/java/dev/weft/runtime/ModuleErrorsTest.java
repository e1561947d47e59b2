package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Modules that cannot be loaded fail at load time, with an exception naming what is wrong. */
class ModuleErrorsTest {
  private static final WeftRuntime WEFT = WeftRuntime.create();

  @Test
  void textFileIsNotAWasmBinary() {
    assertThatThrownBy(
            () ->
                WEFT.load(
                    ModuleSource.bytes(
                        "notes.txt", "hello there".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(ModuleFormatException.class)
        .hasMessageContaining("'notes.txt' is not a WebAssembly binary")
        .hasMessageContaining("68656c6c")
        .hasMessageContaining("0061736d");
  }

  @Test
  void emptyFileIsNotAWasmBinary() {
    assertThatThrownBy(() -> WEFT.load(ModuleSource.bytes("empty.wasm", new byte[0])))
        .isInstanceOf(ModuleFormatException.class)
        .hasMessageContaining("empty file");
  }

  @Test
  void truncatedModuleIsInvalid() throws Exception {
    byte[] hello = Files.readAllBytes(Examples.module("hello"));
    byte[] cut = Arrays.copyOf(hello, hello.length / 2);
    assertThatThrownBy(() -> WEFT.load(ModuleSource.bytes("cut.wasm", cut)))
        .isInstanceOf(ModuleFormatException.class)
        .hasMessageContaining("'cut.wasm' is not a valid WebAssembly module");
  }

  @Test
  void unknownImportIsNamed() {
    assertThatThrownBy(() -> WEFT.load(ModuleSource.file(Examples.adversarial("unknown_import"))))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("env.host_magic")
        .hasMessageContaining("wasi_snapshot_preview1");
  }

  @Test
  void moduleWithoutStartIsNotACommand() {
    byte[] emptyModule = {0, 'a', 's', 'm', 1, 0, 0, 0};
    assertThatThrownBy(() -> WEFT.load(ModuleSource.bytes("lib.wasm", emptyModule)))
        .isInstanceOf(LinkException.class)
        .hasMessageContaining("no _start");
  }

  @Test
  void missingFileIsNamed() {
    assertThatThrownBy(() -> WEFT.load(ModuleSource.file(Path.of("/no/such/module.wasm"))))
        .isInstanceOf(ModuleFetchException.class)
        .hasMessageContaining("/no/such/module.wasm");
  }

  @Test
  void pinnedDigestMismatchNamesThePinButNotTheDigestOfWhatWasRead() throws Exception {
    byte[] bytes = Files.readAllBytes(Examples.module("hello"));
    String wrong = "sha256:" + "0".repeat(64);
    ModuleSource pinned =
        new ModuleSource() {
          @Override
          public String name() {
            return "hello.wasm";
          }

          @Override
          public byte[] read(long maxBytes) {
            return bytes;
          }

          @Override
          public Optional<String> expectedDigest() {
            return Optional.of(wrong);
          }
        };
    assertThatThrownBy(() -> WEFT.load(pinned))
        .isInstanceOf(ModuleFetchException.class)
        .hasMessageContaining(wrong)
        .hasMessageNotContaining(
            Digests.sha256(bytes)
                .substring(7)); // it would make weft an oracle for what a URL serves
  }

  @Test
  void moduleOverTheSizeLimitIsRefused() {
    WeftRuntime small = WeftRuntime.builder().maxModuleBytes(1024).build();
    assertThatThrownBy(() -> small.load(ModuleSource.file(Examples.module("hello"))))
        .isInstanceOf(ModuleFetchException.class)
        .hasMessageContaining("module size limit of 1KiB");
  }
}
