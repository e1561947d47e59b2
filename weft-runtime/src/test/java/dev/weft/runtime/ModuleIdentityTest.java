package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime remembers modules by identity: a known one costs a lookup, not a read and a hash. */
class ModuleIdentityTest {
  private static final byte[] HELLO = read(Examples.module("hello"));

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aModuleKnownByItsIdentityIsNotReadAgain() {
    AtomicInteger reads = new AtomicInteger();
    ModuleSource byManifest =
        ModuleSource.identified(
            "hello",
            new ModuleIdentity.Manifest("sha256:" + "a".repeat(64)),
            () -> {
              reads.incrementAndGet();
              return HELLO;
            });
    try (WeftRuntime weft = WeftRuntime.create()) {
      LoadedModule first = weft.load(byManifest);
      LoadedModule second = weft.load(byManifest);
      assertThat(reads).hasValue(1);
      assertThat(second.digest()).isEqualTo(first.digest());
      assertThat(second.fromCache()).isTrue();
      assertThat(weft.stats().rememberedIdentities()).isEqualTo(1);
      assertThat(weft.stats().cacheHits()).isEqualTo(1);
    }
  }

  @Test
  void aChangedFileIsANewIdentityAndIsReadAgain(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("m.wasm");
    Files.write(file, HELLO);
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000));
    try (WeftRuntime weft = WeftRuntime.create()) {
      String before = weft.load(ModuleSource.file(file)).digest();
      assertThat(weft.load(ModuleSource.file(file)).fromCache())
          .as("unchanged: found by identity")
          .isTrue();
      byte[] other = read(Examples.module("wc"));
      Files.write(file, other);
      Files.setLastModifiedTime(file, FileTime.fromMillis(2_000_000));
      LoadedModule after = weft.load(ModuleSource.file(file));
      assertThat(after.digest()).isNotEqualTo(before).isEqualTo(Digests.sha256(other));
      assertThat(after.fromCache()).isFalse();
    }
  }

  @Test
  void rememberedIdentitiesAreBoundedAndAForgottenOneIsReadAndFoundByDigest() {
    AtomicInteger reads = new AtomicInteger();
    java.util.function.Function<String, ModuleSource> named =
        id ->
            ModuleSource.identified(
                "hello",
                new ModuleIdentity.Manifest("sha256:" + id.repeat(64)),
                () -> {
                  reads.incrementAndGet();
                  return HELLO;
                });
    try (WeftRuntime weft = WeftRuntime.builder().rememberedModules(1).build()) {
      weft.load(named.apply("a"));
      weft.load(named.apply("b"));
      weft.load(named.apply("c"));
      weft.load(
          named.apply("a")); // at most one remembered: read again, compiled code found by digest
      assertThat(reads.get()).isGreaterThanOrEqualTo(3);
      assertThat(weft.stats().rememberedIdentities()).isLessThanOrEqualTo(1);
      assertThat(weft.stats().compiledModules()).isEqualTo(1);
      assertThat(weft.stats().cacheMisses()).isEqualTo(1);
    }
  }

  @Test
  void aPinnedSourceIsNamedByItsDigest() {
    ModuleSource pinned =
        ModuleSource.url(
            java.net.URI.create("http://127.0.0.1:1/m.wasm"),
            java.util.Optional.of("b".repeat(64)));
    assertThat(pinned.identity()).contains(new ModuleIdentity.Content("sha256:" + "b".repeat(64)));
  }

  @Test
  void aFileIdentityIsItsPathSizeAndModificationTime() {
    ModuleIdentity.File a = new ModuleIdentity.File(Path.of("/m/a.wasm"), 10, 1000);
    assertThat(a).isEqualTo(new ModuleIdentity.File(Path.of("/m/a.wasm"), 10, 1000));
    assertThat(a.hashCode())
        .isEqualTo(new ModuleIdentity.File(Path.of("/m/a.wasm"), 10, 1000).hashCode());
    assertThat(a)
        .isNotEqualTo(new ModuleIdentity.File(Path.of("/m/b.wasm"), 10, 1000))
        .isNotEqualTo(new ModuleIdentity.File(Path.of("/m/a.wasm"), 11, 1000))
        .isNotEqualTo(new ModuleIdentity.File(Path.of("/m/a.wasm"), 10, 1001))
        .isNotEqualTo(new ModuleIdentity.Content("sha256:" + "a".repeat(64)))
        .isNotEqualTo(null);
  }
}
