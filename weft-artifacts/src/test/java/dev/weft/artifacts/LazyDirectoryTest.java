package dev.weft.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.Phase;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB object read by a real Wasm module through a lazy directory: only the range the module
 * reads is transferred. The object is a sparse file in S3Proxy's blob directory, so the test keeps
 * neither 1 GiB in memory nor on disk.
 */
class LazyDirectoryTest {
  @RegisterExtension static final S3Fixture S3 = new S3Fixture();
  static final long GIB = 1L << 30;
  static final ModuleSource HEAD =
      ModuleSource.file(
          Path.of(System.getProperty("weft.examples", "../examples/modules"), "head", "head.wasm"));
  @TempDir Path tmp;

  /**
   * A sparse object of the given size with 1 MiB of seeded random bytes at offset; returns those
   * bytes.
   */
  static byte[] sparseObject(Path file, long size, long offset, long seed) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] pattern = new byte[1 << 20];
    new Random(seed).nextBytes(pattern);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
      f.seek(offset);
      f.write(pattern);
    }
    return pattern;
  }

  static String fnv32a(byte[] b) {
    int h = 0x811c9dc5;
    for (byte x : b) {
      h ^= x & 0xff;
      h *= 0x01000193;
    }
    return String.format("%08x", h);
  }

  @Test
  void aModuleReadsOneMebibyteOfAGibibyteObjectAndOnlyThatIsFetched() throws Exception {
    long offset = 512L << 20;
    byte[] pattern = sparseObject(S3.objectFile("big/one-gib.bin"), GIB, offset, 7);
    try (S3Store store = S3.store();
        LazyDirectory dir =
            LazyDirectory.open(
                store, Map.of("big.bin", "big/one-gib.bin"), LazyDirectory.DEFAULT_READ_AHEAD)) {
      long t0 = System.nanoTime();
      TaskResult r =
          WeftRuntime.create()
              .run(
                  HEAD,
                  TaskSpec.builder()
                      .mount(dir.root(), "/data")
                      .args(
                          List.of(
                              "/data/big.bin",
                              String.valueOf(offset),
                              String.valueOf(pattern.length)))
                      .build());
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(r.phase()).as(r.message() + r.stderrTail()).isEqualTo(Phase.Succeeded);
      assertThat(r.result()).isEqualTo(GIB + " " + pattern.length + " " + fnv32a(pattern));
      assertThat(dir.bytesFetched()).as("bytes fetched").isBetween((long) pattern.length, 3L << 20);
      System.out.printf(
          "lazy read of 1 MiB from a 1 GiB object: %d ms, %d bytes in %d range requests%n",
          ms, dir.bytesFetched(), dir.requests());
    }
  }

  @Test
  void theModuleCannotWriteListsTheFileAndSeesItsSize() throws Exception {
    Path f = tmp.resolve("store/k/small.bin");
    Files.createDirectories(f.getParent());
    Files.write(f, new byte[] {1, 2, 3, 4, 5});
    LocalDirectoryStore store = new LocalDirectoryStore(tmp.resolve("store"));
    try (LazyDirectory dir = LazyDirectory.open(store, Map.of("small.bin", "k/small.bin"), 4096)) {
      assertThat(Files.list(dir.root()).map(p -> p.getFileName().toString()))
          .containsExactly("small.bin");
      assertThat(Files.size(dir.root().resolve("small.bin"))).isEqualTo(5);
      assertThat(Files.readAllBytes(dir.root().resolve("small.bin")))
          .containsExactly(1, 2, 3, 4, 5);
      // probe opens each path; writing is refused by the file system, reading works
      TaskResult r =
          WeftRuntime.create()
              .run(
                  ModuleSource.file(
                      Path.of(
                          System.getProperty("weft.examples", "../examples/modules"),
                          "head",
                          "head.wasm")),
                  TaskSpec.builder()
                      .mount(dir.root(), "/data")
                      .args(List.of("/data/small.bin", "1", "10"))
                      .build());
      assertThat(r.result())
          .as(r.message() + r.stderrTail())
          .isEqualTo("5 4 " + fnv32a(new byte[] {2, 3, 4, 5}));
      assertThat(
              org.assertj.core.api.Assertions.catchThrowable(
                  () -> Files.write(dir.root().resolve("small.bin"), new byte[1])))
          .isInstanceOf(java.nio.file.AccessDeniedException.class);
    }
  }
}
