package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each distinct module compiles once, whoever asks first and however many ask at once. */
class CompiledModuleCacheTest {

  @Test
  void secondLoadOfTheSameBytesComesFromTheCache() {
    WeftRuntime weft = WeftRuntime.create();
    LoadedModule first = weft.load(ModuleSource.file(Examples.module("hello")));
    LoadedModule second = weft.load(ModuleSource.file(Examples.module("hello")));

    assertThat(first.fromCache()).isFalse();
    assertThat(second.fromCache()).isTrue();
    assertThat(second.digest()).isEqualTo(first.digest()).startsWith("sha256:").hasSize(71);
    assertThat(weft.stats().cacheMisses()).isEqualTo(1);
    assertThat(weft.stats().compiledModules()).isEqualTo(1);
  }

  @Test
  void concurrentFirstLoadsCompileOnce() throws Exception {
    WeftRuntime weft = WeftRuntime.create();
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<LoadedModule>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return weft.load(ModuleSource.file(Examples.module("reverse")));
                }));
      }
      go.countDown();
      long compiled = 0;
      for (Future<LoadedModule> f : futures) if (!f.get().fromCache()) compiled++;

      assertThat(compiled).isEqualTo(1);
      assertThat(weft.stats().cacheMisses()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void failedCompilationIsNotCachedAndFailsAgainWithTheSameError() {
    WeftRuntime weft = WeftRuntime.create();
    ModuleSource bad =
        ModuleSource.bytes("bad.wasm", new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 99});
    for (int i = 0; i < 2; i++) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> weft.load(bad))
          .isInstanceOf(ModuleFormatException.class);
    }
    assertThat(weft.stats().compiledModules()).isZero();
  }

  @Test
  void compiledCodeIsKeptOnDiskForTheNextProcess(@TempDir Path dir) throws Exception {
    WeftRuntime first = WeftRuntime.builder().compiledCodeDir(dir).build();
    first.load(ModuleSource.file(Examples.module("hello")));
    List<Path> entries;
    try (Stream<Path> s = Files.walk(dir)) {
      entries = s.filter(p -> p.toString().endsWith(".jar")).toList();
    }
    assertThat(entries).hasSize(1);
    Object written =
        Files.readAttributes(entries.get(0), java.nio.file.attribute.BasicFileAttributes.class)
            .fileKey(); // the inode

    WeftRuntime second = WeftRuntime.builder().compiledCodeDir(dir).build();
    TaskResult r =
        second.run(
            ModuleSource.file(Examples.module("hello")),
            TaskSpec.builder().parameter("name", "disk").build());

    assertThat(r.outputParameter("greeting")).contains("Hello, disk!");
    assertThat(
            Files.readAttributes(entries.get(0), java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey())
        .as("entry reused, not rewritten")
        .isEqualTo(written);
  }

  @Test
  void compiledCodeOnDiskStaysWithinItsSize(@TempDir Path measure, @TempDir Path bounded)
      throws Exception {
    WeftRuntime unbounded = WeftRuntime.builder().compiledCodeDir(measure).build();
    unbounded.load(ModuleSource.file(Examples.module("hello")));
    unbounded.load(ModuleSource.file(Examples.module("wc")));
    long largest;
    try (Stream<Path> s = Files.walk(measure)) {
      largest =
          s.filter(p -> p.toString().endsWith(".jar"))
              .mapToLong(p -> p.toFile().length())
              .max()
              .orElseThrow();
    }

    MovableClock clock = new MovableClock();
    WeftRuntime weft =
        WeftRuntime.builder()
            .compiledCodeDir(bounded)
            .compiledCodeMaxBytes(largest + 1)
            .clock(clock)
            .build();
    weft.load(ModuleSource.file(Examples.module("hello")));
    clock.advance(java.time.Duration.ofSeconds(1));
    weft.load(ModuleSource.file(Examples.module("wc")));
    List<Path> left;
    try (Stream<Path> s = Files.walk(bounded)) {
      left = s.filter(p -> p.toString().endsWith(".jar")).toList();
    }
    assertThat(left).as("room for one module's code: the older one went").hasSize(1);
  }

  /** A clock the test moves by hand: LRU order without sleeping. */
  static final class MovableClock extends java.time.Clock {
    private java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

    synchronized void advance(java.time.Duration d) {
      now = now.plus(d);
    }

    @Override
    public synchronized java.time.Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
