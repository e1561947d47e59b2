package dev.weft.runtime.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of cache entries (one file each) kept under a size: reading an entry marks it used,
 * and past the size the least recently used entries are deleted. weft's disk caches (compiled code,
 * pulled modules) share this. Files starting with "." are in-progress writes and are left alone.
 */
public final class BoundedDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(BoundedDirectory.class);
  private final Path dir;
  private final long maxBytes;
  private final java.time.Clock clock;

  public BoundedDirectory(Path dir, long maxBytes) {
    this(dir, maxBytes, java.time.Clock.systemUTC());
  }

  /**
   * @param clock the time an entry is marked used at (its modification time); tests move it
   */
  public BoundedDirectory(Path dir, long maxBytes, java.time.Clock clock) {
    if (maxBytes <= 0)
      throw new IllegalArgumentException("cache size must be positive, got " + maxBytes);
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.clock = Objects.requireNonNull(clock);
  }

  /** Marks an entry as just used (or just written). */
  public void touch(Path entry) {
    try {
      Files.setLastModifiedTime(entry, FileTime.fromMillis(clock.millis()));
    } catch (IOException e) {
      // a read-only cache still serves; eviction order just gets coarser
    }
  }

  /** Up to {@code n} entries, most recently used first. */
  public java.util.List<Path> mostRecent(int n) {
    try (var files = Files.list(dir)) {
      return files
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .map(
              f -> {
                try {
                  return Map.entry(f, Files.getLastModifiedTime(f));
                } catch (IOException e) {
                  return null;
                }
              })
          .filter(Objects::nonNull)
          .sorted(Map.Entry.<Path, FileTime>comparingByValue().reversed())
          .limit(n)
          .map(Map.Entry::getKey)
          .toList();
    } catch (IOException e) {
      return java.util.List.of();
    }
  }

  /** Deletes least recently used entries until the directory fits its size. */
  public synchronized void evict() {
    try (var files = Files.list(dir)) {
      var entries =
          files
              .filter(f -> !f.getFileName().toString().startsWith("."))
              .map(
                  f -> {
                    try {
                      return Map.entry(f, Files.readAttributes(f, BasicFileAttributes.class));
                    } catch (IOException e) {
                      return null; // deleted meanwhile by another process
                    }
                  })
              .filter(Objects::nonNull)
              .sorted(Comparator.comparing(e -> e.getValue().lastModifiedTime()))
              .toList();
      long total = entries.stream().mapToLong(e -> e.getValue().size()).sum();
      for (var e : entries) {
        if (total <= maxBytes) break;
        Files.deleteIfExists(e.getKey());
        total -= e.getValue().size();
        LOG.debug("evicted {} from {}", e.getKey().getFileName(), dir);
      }
    } catch (IOException e) {
      LOG.warn("cannot keep {} within its size: {}", dir, e.toString());
    }
  }
}
