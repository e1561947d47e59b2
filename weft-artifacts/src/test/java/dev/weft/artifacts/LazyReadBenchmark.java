package dev.weft.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.Phase;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurement behind docs/benchmarks.md "Lazy reads": a module reads 1 MiB of a 1 GiB S3
 * object, lazily (range requests) versus after a full download to disk. Runs only when asked:
 * {@code mvn -B -o -pl weft-artifacts -am verify -Dtest=LazyReadBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dweft.bench=lazy}.
 */
class LazyReadBenchmark {
  private final S3Fixture S3 = new S3Fixture(); // started only when the benchmark runs
  @TempDir Path tmp;

  @Test
  void lazyVersusFullDownload() throws Exception {
    Assumptions.assumeTrue(
        "lazy".equals(System.getProperty("weft.bench")),
        "benchmark: runs only with -Dweft.bench=lazy (takes about a minute)");
    S3.start();
    try {
      measure();
    } finally {
      S3.stop();
    }
  }

  private void measure() throws Exception {
    long size = 1L << 30;
    long offset = 512L << 20;
    byte[] pattern =
        LazyDirectoryTest.sparseObject(S3.objectFile("bench/one-gib.bin"), size, offset, 3);
    String expected = size + " " + pattern.length + " " + LazyDirectoryTest.fnv32a(pattern);
    WeftRuntime weft = WeftRuntime.create();
    LoadedModule head =
        weft.load(
            ModuleSource.file(
                Path.of(
                    System.getProperty("weft.examples", "../examples/modules"),
                    "head",
                    "head.wasm")));
    List<String> args = List.of(String.valueOf(offset), String.valueOf(pattern.length));

    List<Long> lazyMs = new ArrayList<>();
    long lazyBytes = 0;
    long lazyRequests = 0;
    for (int i = 0; i < 7; i++) {
      long t0 = System.nanoTime();
      try (S3Store store = S3.store();
          LazyDirectory dir =
              LazyDirectory.open(
                  store,
                  Map.of("big.bin", "bench/one-gib.bin"),
                  LazyDirectory.DEFAULT_READ_AHEAD)) {
        TaskResult r =
            weft.run(
                head,
                TaskSpec.builder()
                    .mount(dir.root(), "/data")
                    .args(concat("/data/big.bin", args))
                    .build());
        lazyMs.add((System.nanoTime() - t0) / 1_000_000);
        assertThat(r.phase()).isEqualTo(Phase.Succeeded);
        assertThat(r.result()).isEqualTo(expected);
        lazyBytes = dir.bytesFetched();
        lazyRequests = dir.requests();
      }
    }

    List<Long> fullMs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path dl = Files.createDirectories(tmp.resolve("dl-" + i));
      long t0 = System.nanoTime();
      try (S3Store store = S3.store()) {
        store.get("bench/one-gib.bin", dl.resolve("big.bin"));
        TaskResult r =
            weft.run(
                head,
                TaskSpec.builder().mount(dl, "/data").args(concat("/data/big.bin", args)).build());
        fullMs.add((System.nanoTime() - t0) / 1_000_000);
        assertThat(r.result()).isEqualTo(expected);
      }
      assertThat(Files.size(dl.resolve("big.bin"))).isEqualTo(size);
      Files.delete(dl.resolve("big.bin"));
    }
    System.out.printf("%nLAZY-READ BENCHMARK (1 GiB object, module reads 1 MiB at 512 MiB)%n");
    System.out.printf(
        "lazy:  median %d ms (runs %s), %d bytes fetched in %d range request(s) per run%n",
        median(lazyMs), lazyMs, lazyBytes, lazyRequests);
    System.out.printf(
        "full:  median %d ms (runs %s), %d bytes downloaded per run%n",
        median(fullMs), fullMs, size);
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> l = new ArrayList<>();
    l.add(first);
    l.addAll(rest);
    return l;
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
