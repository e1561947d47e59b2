package dev.weft.cli;

import java.nio.file.Path;

/** Where weft keeps caches: the flag, else $XDG_CACHE_HOME/weft, else ~/.cache/weft. */
final class CacheDirs {
  private CacheDirs() {}

  static Path resolve(Path flag) {
    if (flag != null) return flag;
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "weft");
    return Path.of(System.getProperty("user.home"), ".cache", "weft");
  }
}
