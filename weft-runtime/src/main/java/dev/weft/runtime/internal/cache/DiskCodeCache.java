package dev.weft.runtime.internal.cache;

import com.dylibso.chicory.compiler.Cache;
import dev.weft.runtime.Digests;
import dev.weft.runtime.disk.BoundedDirectory;
import dev.weft.runtime.internal.compile.InterruptPolls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chicory's compiled classes on disk, keyed by module digest, so a new process skips compiling a
 * module it has seen. Entries are written to a temp file and moved into place atomically, so
 * concurrent processes never see a partial entry. The directory is created owner-only: whoever can
 * write it can run code in weft's JVM.
 */
public final class DiskCodeCache implements Cache {
  private static final Logger LOG = LoggerFactory.getLogger(DiskCodeCache.class);
  private final Path dir;
  private final BoundedDirectory bound;

  /**
   * @param root the cache root; entries go in a subdirectory per Chicory compiler version
   * @param maxBytes compiled code kept; past it the least recently used modules' code is removed
   */
  public DiskCodeCache(Path root, long maxBytes, java.time.Clock clock) {
    this.dir = versionDir(root);
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        try {
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: rely on its own defaults
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot create the compiled-code cache directory " + dir + ": " + e.getMessage(), e);
    }
    this.bound = new BoundedDirectory(dir, maxBytes, clock);
  }

  @Override
  public byte[] get(String key) {
    Path f = file(key);
    try {
      if (!Files.exists(f)) return null;
      bound.touch(f);
      return Files.readAllBytes(f);
    } catch (IOException e) {
      LOG.warn("cannot read compiled-code cache entry {}: {}", f, e.toString());
      return null;
    }
  }

  @Override
  public void putIfAbsent(String key, byte[] data) {
    Path f = file(key);
    if (Files.exists(f)) return;
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, ".entry-", ".tmp");
      Files.write(tmp, data);
      try {
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, f);
      }
      tmp = null;
      bound.touch(f);
      bound.evict();
    } catch (FileAlreadyExistsException e) {
      // another process won the race; its entry is equivalent
    } catch (IOException e) {
      LOG.warn("cannot write compiled-code cache entry {}: {}", f, e.toString());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: a stray temp file is harmless
        }
      }
    }
  }

  /**
   * Whether compiled code for {@code module} is cached under {@code root}, without loading it: lets
   * a one-shot run choose the compiler only when it will not have to compile.
   */
  public static boolean holds(Path root, byte[] module) {
    // the key Chicory's compiler asks the cache for (its WasmModule.digest()), as weft stores it
    String key =
        InterruptPolls.cacheKey(
            "sha-256:" + java.util.Base64.getEncoder().encodeToString(Digests.sha256Bytes(module)));
    return Files.exists(
        versionDir(root)
            .resolve(Digests.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(7) + ".jar"));
  }

  /**
   * Entries live in a subdirectory per Chicory compiler version: another version's code is never
   * loaded.
   */
  private static Path versionDir(Path root) {
    String version = Cache.class.getPackage().getImplementationVersion();
    return root.resolve("chicory-" + (version == null ? "1.7.5" : version));
  }

  private Path file(String key) {
    return dir.resolve(Digests.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(7) + ".jar");
  }
}
