package dev.weft.oci;

import dev.weft.runtime.ModuleFetchException;
import dev.weft.runtime.disk.BoundedDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modules from registries, cached on disk by digest. A digest-pinned reference that has been pulled
 * once never needs the registry again (it runs while the registry is down); a tag is resolved to a
 * digest at most once per {@code tagTtl}. Concurrent requests for one reference share one pull.
 * Files are written to a temp file and moved into place, so concurrent processes sharing the
 * directory never see a partial module.
 */
public final class ModuleStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleStore.class);

  private final Path blobs;
  private final Path manifests;

  /** Per manifest digest, the registry/repository it was pulled from (what a restart re-offers). */
  private final Path names;

  private final RegistryClient client;
  private final Duration tagTtl;
  private final java.time.Clock clock;
  private final BoundedDirectory bound;
  private final ConcurrentHashMap<String, Resolved> tags = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<byte[]>> inFlight =
      new ConcurrentHashMap<>();
  private final AtomicLong pulls = new AtomicLong();

  /**
   * Recently served modules by manifest digest, already verified: a warm step pays neither a disk
   * read nor a hash of the module here. Small, so it bounds itself.
   */
  private final java.util.Map<String, byte[]> recent =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, byte[]> eldest) {
              return size() > 32;
            }
          });

  private static final int MAX_LINKS_SCANNED = 10_000;

  private record Resolved(String manifestDigest, java.time.Instant at) {}

  /** A store bounded to 1 GiB of modules. */
  public ModuleStore(Path dir, RegistryClient client, Duration tagTtl) {
    this(dir, client, tagTtl, 1L << 30);
  }

  /**
   * @param maxBytes modules kept on disk; past it the least recently used are removed
   */
  public ModuleStore(Path dir, RegistryClient client, Duration tagTtl, long maxBytes) {
    this(dir, client, tagTtl, maxBytes, java.time.Clock.systemUTC());
  }

  /**
   * @param clock decides when a tag's resolution is older than {@code tagTtl} (tests move it)
   */
  public ModuleStore(
      Path dir, RegistryClient client, Duration tagTtl, long maxBytes, java.time.Clock clock) {
    this.clock = clock;
    this.blobs = dir.resolve("blobs").resolve("sha256");
    this.bound = new BoundedDirectory(blobs, maxBytes, clock);
    this.manifests = dir.resolve("manifests").resolve("sha256");
    this.names = dir.resolve("names").resolve("sha256");
    this.client = client;
    this.tagTtl = tagTtl;
    try {
      Files.createDirectories(blobs);
      Files.createDirectories(manifests);
      Files.createDirectories(names);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the module cache in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The module a reference names, from the cache when possible. */
  public byte[] module(ImageRef ref) {
    String key = ref.toString();
    CompletableFuture<byte[]> mine = new CompletableFuture<>();
    CompletableFuture<byte[]> running = inFlight.putIfAbsent(key, mine);
    if (running != null) return join(running);
    try {
      mine.complete(fetch(ref));
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
    } finally {
      inFlight.remove(key, mine);
    }
    return join(mine);
  }

  /**
   * A module restored from the cache, with the digest-pinned references it was pulled as ({@code
   * registry/repository@manifest-digest}; empty for caches written before names were kept).
   */
  public record Restored(byte[] module, java.util.List<ImageRef> references) {}

  /**
   * Up to {@code n} cached modules, most recently used first, each verified against its digest (a
   * mismatching one is skipped): what a restarted server prepares before its first request. They
   * are also kept in memory under the manifest digests that name them, so a digest-pinned step
   * right after a restart reads and hashes nothing more here.
   */
  public java.util.List<Restored> recentModules(int n) {
    java.util.Map<String, byte[]> byModuleDigest = new java.util.LinkedHashMap<>();
    for (Path blob : bound.mostRecent(n)) {
      try {
        byte[] module = Files.readAllBytes(blob);
        String digest = "sha256:" + blob.getFileName();
        if (RegistryClient.sha256(module).equals(digest)) byModuleDigest.put(digest, module);
      } catch (IOException e) {
        LOG.debug("cannot read cached module {}: {}", blob.getFileName(), e.toString());
      }
    }
    java.util.Map<String, java.util.List<ImageRef>> references = new java.util.HashMap<>();
    if (!byModuleDigest.isEmpty()) rememberManifestsOf(byModuleDigest, references);
    java.util.List<Restored> out = new java.util.ArrayList<>();
    byModuleDigest.forEach(
        (digest, module) ->
            out.add(
                new Restored(
                    module,
                    java.util.List.copyOf(references.getOrDefault(digest, java.util.List.of())))));
    return out;
  }

  /**
   * Puts the modules in the in-memory map under every manifest (link file) that names them, and
   * collects the pinned references those manifests were pulled as.
   */
  private void rememberManifestsOf(
      java.util.Map<String, byte[]> byModuleDigest,
      java.util.Map<String, java.util.List<ImageRef>> references) {
    try (var links = Files.newDirectoryStream(manifests)) {
      int seen = 0;
      for (Path link : links) {
        // links are one digest each; a bound keeps a huge cache directory from delaying startup
        if (++seen > MAX_LINKS_SCANNED) break;
        String name = link.getFileName().toString();
        if (!name.matches("[0-9a-f]{64}") || Files.size(link) > 100) continue;
        String moduleDigest = Files.readString(link).trim();
        byte[] module = byModuleDigest.get(moduleDigest);
        if (module == null) continue;
        recent.put("sha256:" + name, module);
        Path pulledFrom = names.resolve(name);
        if (Files.exists(pulledFrom) && Files.size(pulledFrom) < 1024) {
          try {
            references
                .computeIfAbsent(moduleDigest, d -> new java.util.ArrayList<>())
                .add(ImageRef.parse(Files.readString(pulledFrom).trim() + "@sha256:" + name));
          } catch (IllegalArgumentException e) {
            LOG.debug("unusable name for manifest {}: {}", name, e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot list the manifest links: {}", e.toString());
    }
  }

  /** How many times this store went to a registry for a module. */
  public long pulls() {
    return pulls.get();
  }

  private byte[] fetch(ImageRef ref) {
    if (ref.digest().isPresent()) {
      byte[] cached = cachedByManifest(ref.digest().get());
      if (cached != null) return cached;
      return pullAndStore(ref);
    }
    String digest = manifestDigest(ref);
    byte[] cached = cachedByManifest(digest);
    return cached != null
        ? cached
        : pullAndStore(
            new ImageRef(
                ref.registry(), ref.repository(), ref.tag(), java.util.Optional.of(digest)));
  }

  /**
   * The manifest digest a reference names now: its own digest when pinned; for a tag, the
   * registry's answer, trusted for {@code tagTtl}. When the registry cannot be reached, a tag
   * resolved before whose module is cached resolves as before (with a warning).
   */
  public String manifestDigest(ImageRef ref) {
    if (ref.digest().isPresent()) return ref.digest().get();
    Resolved r = tags.get(ref.toString());
    java.time.Instant now = clock.instant();
    if (r != null && now.isBefore(r.at().plus(tagTtl)) && manifestCached(r.manifestDigest()))
      return r.manifestDigest();
    long t0 = System.nanoTime();
    String digest;
    try {
      digest = client.resolve(ref);
    } catch (ModuleFetchException e) {
      if (r == null || !manifestCached(r.manifestDigest())) throw e;
      LOG.warn(
          "cannot resolve {} ({}); using {} resolved earlier",
          ref,
          e.getMessage(),
          r.manifestDigest());
      return r.manifestDigest();
    }
    tags.put(ref.toString(), new Resolved(digest, now));
    LOG.debug("resolved {} to {} in {} ms", ref, digest, (System.nanoTime() - t0) / 1_000_000);
    return digest;
  }

  private boolean manifestCached(String manifestDigest) {
    return recent.containsKey(manifestDigest)
        || Files.exists(manifests.resolve(hex(manifestDigest)));
  }

  private byte[] pullAndStore(ImageRef ref) {
    pulls.incrementAndGet();
    long t0 = System.nanoTime();
    Pulled p = client.pull(ref);
    long t1 = System.nanoTime();
    String moduleDigest = RegistryClient.sha256(p.module());
    write(blobs.resolve(hex(moduleDigest)), p.module());
    bound.touch(blobs.resolve(hex(moduleDigest)));
    bound.evict();
    byte[] link = moduleDigest.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] name = ref.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    write(manifests.resolve(hex(p.manifestDigest())), link);
    write(names.resolve(hex(p.manifestDigest())), name);
    // a reference pinned to an image index names the index, not the platform manifest inside it
    ref.digest()
        .filter(d -> !d.equals(p.manifestDigest()))
        .ifPresent(
            d -> {
              write(manifests.resolve(hex(d)), link);
              write(names.resolve(hex(d)), name);
            });
    if (ref.tag().isPresent())
      tags.put(ref.toString(), new Resolved(p.manifestDigest(), clock.instant()));
    LOG.debug(
        "pulled {} ({} bytes) in {} ms, stored in {} ms",
        ref,
        p.module().length,
        (t1 - t0) / 1_000_000,
        (System.nanoTime() - t1) / 1_000_000);
    return p.module();
  }

  /** The module stored for this manifest, verified against its digest, or null. */
  private byte[] cachedByManifest(String manifestDigest) {
    byte[] hot = recent.get(manifestDigest);
    if (hot != null) return hot.clone(); // callers may write to what they get
    try {
      Path link = manifests.resolve(hex(manifestDigest));
      if (!Files.exists(link)) return null;
      String moduleDigest = Files.readString(link).trim();
      Path blob = blobs.resolve(hex(moduleDigest));
      if (!Files.exists(blob)) return null;
      byte[] module = Files.readAllBytes(blob);
      bound.touch(blob);
      if (!RegistryClient.sha256(module).equals(moduleDigest)) {
        LOG.warn("cached module {} does not match its digest; fetching it again", moduleDigest);
        Files.deleteIfExists(blob);
        return null;
      }
      recent.put(manifestDigest, module);
      return module;
    } catch (IOException e) {
      LOG.warn("cannot read the module cache: {}", e.toString());
      return null;
    }
  }

  private static void write(Path target, byte[] data) {
    try {
      Path tmp = Files.createTempFile(target.getParent(), ".part-", ".tmp");
      try {
        Files.write(tmp, data);
        try {
          Files.move(
              tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      LOG.warn("cannot write {} to the module cache: {}", target.getFileName(), e.toString());
    }
  }

  private static String hex(String digest) {
    if (!digest.matches("sha256:[0-9a-f]{64}"))
      throw new ModuleFetchException("not a sha256 digest: " + digest);
    return digest.substring(7);
  }

  private static byte[] join(CompletableFuture<byte[]> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw e;
    }
  }

  @Override
  public void close() {
    // nothing held open; present so callers can scope a store
  }
}
