package dev.weft.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.runtime.ModuleFetchException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The digest-keyed module cache: offline service, coalesced pulls, tag TTL. */
class ModuleStoreTest extends OnRegistry {
  private static final Duration LONG_TTL = Duration.ofMinutes(10);

  /** Pushes a CNCF artifact of {@code module} to {@code repo:tag}; returns the manifest digest. */
  private static String pushCncf(String repo, String tag, byte[] module) {
    return RawPush.pushManifest(
        registry,
        repo,
        tag,
        RawPush.OCI_MANIFEST,
        RawPush.cncfWasm(registry, repo, module, NONE),
        NONE);
  }

  @Test
  void aWarmCacheServesADigestPinnedReferenceWhileTheRegistryIsDown(@TempDir Path dir) {
    byte[] module = WasmModules.variant(HELLO, "warm");
    ImageRef pinned = ref("store/warm", pushCncf("store/warm", "1", module));
    try (ModuleStore store = new ModuleStore(dir, client, LONG_TTL)) {
      assertThat(store.module(pinned)).isEqualTo(module);
      assertThat(store.pulls()).isEqualTo(1);

      registry.stop();
      try {
        assertThat(store.module(pinned)).isEqualTo(module);
        assertThat(store.pulls()).isEqualTo(1);
        // A new store on the same directory (a restarted process) has it on disk too.
        try (ModuleStore restarted = new ModuleStore(dir, client, LONG_TTL)) {
          byte[] fromDisk = restarted.module(pinned);
          assertThat(fromDisk).isEqualTo(module);
          assertThat(restarted.pulls()).isZero();
          WasmModules.assertGreets(fromDisk);
        }
      } finally {
        registry.restart();
      }
    }
  }

  @Test
  void aWarmCacheServesADigestPinnedIndexWhileTheRegistryIsDown(@TempDir Path dir) {
    byte[] module = WasmModules.variant(HELLO, "warm-index");
    String index =
        RawPush.pushManifest(
            registry,
            "store/warm-index",
            "1",
            RawPush.OCI_INDEX,
            RawPush.indexWithWasm(registry, "store/warm-index", module, "wasip1", NONE),
            NONE);
    ImageRef pinned = ref("store/warm-index", index);
    try (ModuleStore store = new ModuleStore(dir, client, LONG_TTL)) {
      assertThat(store.module(pinned)).isEqualTo(module);

      registry.stop();
      try {
        assertThat(store.module(pinned)).isEqualTo(module);
        assertThat(store.pulls()).isEqualTo(1);
      } finally {
        registry.restart();
      }
    }
  }

  @Test
  void aColdCacheFailsWithAClearErrorWhileTheRegistryIsDown(@TempDir Path dir) {
    ImageRef pinned =
        ref("store/cold", pushCncf("store/cold", "1", WasmModules.variant(HELLO, "cold")));
    ImageRef tagged = ref("store/cold", "1");
    registry.stop();
    try (ModuleStore store = new ModuleStore(dir, client, LONG_TTL)) {
      for (ImageRef r : List.of(pinned, tagged)) {
        long t0 = System.nanoTime();
        ModuleFetchException e =
            catchThrowableOfType(ModuleFetchException.class, () -> store.module(r));
        assertThat(e).as("%s with the registry down", r).isNotNull();
        assertThat(e.getMessage()).contains(registry.host());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      }
    } finally {
      registry.restart();
    }
  }

  @Test
  void eightThreadsAskingAColdStoreForOneTagShareOnePull(@TempDir Path dir) throws Exception {
    pushCncf("store/concurrent", "1", HELLO);
    ImageRef tagged = ref("store/concurrent", "1");
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (ModuleStore store = new ModuleStore(dir, client, LONG_TTL)) {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return store.module(tagged);
                }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      for (Future<byte[]> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(HELLO);
      }
      assertThat(store.pulls()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void eightThreadsAskingAColdStoreForOneDigestShareOnePull(@TempDir Path dir) throws Exception {
    byte[] module = WasmModules.variant(HELLO, "concurrent-digest");
    ImageRef pinned =
        ref("store/concurrent-digest", pushCncf("store/concurrent-digest", "1", module));
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (ModuleStore store = new ModuleStore(dir, client, LONG_TTL)) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return store.module(pinned);
                }));
      }
      go.countDown();
      for (Future<byte[]> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(module);
      }
      assertThat(store.pulls()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTagRePointedToNewContentIsSeenAfterTheTtlButNotBefore(@TempDir Path dir) throws Exception {
    Duration ttl = Duration.ofMinutes(1);
    byte[] before = WasmModules.variant(HELLO, "ttl-before");
    byte[] after = WasmModules.variant(HELLO, "ttl-after");
    pushCncf("store/ttl", "t", before);
    byte[] next =
        RawPush.cncfWasm(registry, "store/ttl", after, NONE); // blobs ready; re-pointing is one PUT
    TestClock clock = new TestClock();
    try (ModuleStore store = new ModuleStore(dir, client, ttl, 1L << 30, clock)) {
      ImageRef tagged = ref("store/ttl", "t");
      assertThat(store.module(tagged)).isEqualTo(before);
      RawPush.pushManifest(registry, "store/ttl", "t", RawPush.OCI_MANIFEST, next, NONE);
      clock.advance(ttl.minusSeconds(1));
      assertThat(store.module(tagged))
          .as("within the TTL the cached resolution is used")
          .isEqualTo(before);
      clock.advance(Duration.ofSeconds(2));
      assertThat(store.module(tagged))
          .as("after the TTL the tag is resolved again")
          .isEqualTo(after);
      assertThat(store.pulls()).isEqualTo(2);
    }
  }

  @Test
  void theStoreStaysWithinItsSizeDroppingTheLeastRecentlyUsedModule(@TempDir Path dir)
      throws Exception {
    byte[] a = WasmModules.variant(HELLO, "lru-a");
    byte[] b = WasmModules.variant(HELLO, "lru-b");
    byte[] c = WasmModules.variant(HELLO, "lru-c");
    ImageRef ra = ref("store/lru", pushCncf("store/lru", "a", a));
    ImageRef rb = ref("store/lru", pushCncf("store/lru", "b", b));
    ImageRef rc = ref("store/lru", pushCncf("store/lru", "c", c));
    long limit = a.length + b.length + c.length / 2; // room for two modules, not three
    TestClock clock = new TestClock();
    try (ModuleStore store = new ModuleStore(dir, client, LONG_TTL, limit, clock)) {
      store.module(ra);
      clock.advance(Duration.ofSeconds(1));
      store.module(rb);
      clock.advance(Duration.ofSeconds(1));
      store.module(ra); // a is now more recent than b
      clock.advance(Duration.ofSeconds(1));
      store.module(rc); // over the limit: b goes
      long onDisk;
      try (var files = java.nio.file.Files.list(dir.resolve("blobs/sha256"))) {
        onDisk = files.filter(f -> !f.getFileName().toString().startsWith(".")).count();
      }
      assertThat(onDisk).isEqualTo(2);
      long before = store.pulls();
      assertThat(store.module(ra)).isEqualTo(a);
      assertThat(store.module(rc)).isEqualTo(c);
      assertThat(store.pulls()).as("a and c were still cached").isEqualTo(before);
      assertThat(store.module(rb)).isEqualTo(b);
      assertThat(store.pulls()).as("b was evicted and pulled again").isEqualTo(before + 1);
    }
  }

  @Test
  void aRestartedStoreRestoresRecentModulesVerifiedAndServesThemFromMemoryByManifestDigest(
      @TempDir Path dir) throws Exception {
    byte[] older = WasmModules.variant(HELLO, "recent-older");
    byte[] newer = WasmModules.variant(HELLO, "recent-newer");
    ImageRef pinnedOlder = ref("store/recent", pushCncf("store/recent", "older", older));
    ImageRef pinnedNewer = ref("store/recent", pushCncf("store/recent", "newer", newer));
    TestClock clock = new TestClock();
    try (ModuleStore store = new ModuleStore(dir, client, LONG_TTL, 1L << 30, clock)) {
      store.module(pinnedOlder);
      clock.advance(Duration.ofSeconds(1));
      store.module(pinnedNewer);
    }
    // one cached blob is corrupted on disk: it must not be restored
    Path olderBlob = dir.resolve("blobs/sha256").resolve(RegistryClient.sha256(older).substring(7));
    java.nio.file.Files.write(olderBlob, WasmModules.variant(HELLO, "tampered"));

    try (ModuleStore restarted = new ModuleStore(dir, client, LONG_TTL)) {
      List<ModuleStore.Restored> restored = restarted.recentModules(8);
      assertThat(restored).hasSize(1);
      assertThat(restored.get(0).module()).isEqualTo(newer);
      // with the pinned reference it was pulled as, for the server to offer again
      assertThat(restored.get(0).references()).containsExactly(pinnedNewer);
      // served from memory: neither the disk (blob removed) nor the registry (pulls) is needed
      java.nio.file.Files.delete(
          dir.resolve("blobs/sha256").resolve(RegistryClient.sha256(newer).substring(7)));
      assertThat(restarted.module(pinnedNewer)).isEqualTo(newer);
      assertThat(restarted.pulls()).isZero();
      // the corrupted one is detected when asked for, and pulled again
      assertThat(restarted.module(pinnedOlder)).isEqualTo(older);
      assertThat(restarted.pulls()).isEqualTo(1);
    }
  }
}
