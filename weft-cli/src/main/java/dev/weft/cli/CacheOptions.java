package dev.weft.cli;

import dev.weft.runtime.Limits;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where weft keeps its disk caches (pulled modules, compiled code) and how large each may grow. */
final class CacheOptions {
  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description =
          "Cache root for pulled modules and compiled code (default: $XDG_CACHE_HOME/weft or ~/.cache/weft).")
  Path dir;

  @Option(
      names = "--cache-size",
      paramLabel = "SIZE",
      description =
          "Most each disk cache (pulled modules, compiled code) may hold; least recently used entries go first (default 1GiB).")
  String size;

  /** The flag, else $XDG_CACHE_HOME/weft, else ~/.cache/weft. */
  Path root() {
    if (dir != null) return dir;
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "weft");
    return Path.of(System.getProperty("user.home"), ".cache", "weft");
  }

  long maxBytes() {
    if (size == null) return 1L << 30;
    long b = Limits.parseBytes("--cache-size", size);
    if (b < (1L << 20))
      throw new IllegalArgumentException("--cache-size must be at least 1MiB, got " + size);
    return b;
  }
}
