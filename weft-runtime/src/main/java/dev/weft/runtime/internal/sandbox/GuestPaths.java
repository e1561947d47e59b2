package dev.weft.runtime.internal.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** Lexical and symlink checks on guest paths. */
public final class GuestPaths {
  private GuestPaths() {}

  /** Normalises an absolute guest path; {@code ..} may not climb above "/". */
  public static String normalizeAbsolute(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new SandboxEscapeException("path '" + path + "' is not an absolute guest path");
    }
    if (path.indexOf('\0') >= 0) {
      throw new SandboxEscapeException(
          "path '" + path.replace("\0", "\\0") + "' contains a NUL byte");
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) continue;
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw new SandboxEscapeException("path '" + path + "' climbs above the sandbox root");
        }
        parts.removeLast();
      } else {
        parts.addLast(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  /**
   * Checks that {@code p}, with every symlink along it followed, stays under {@code base}. A path
   * that does not exist yet is checked up to its deepest existing ancestor.
   */
  public static Path confine(Path base, Path p, String shownAs) {
    try {
      Path realBase = base.toRealPath();
      Path existing = p;
      while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
        existing = existing.getParent();
      }
      if (existing != null && !existing.toRealPath().startsWith(realBase)) {
        throw new SandboxEscapeException(
            "path '" + shownAs + "' leads outside the sandbox through a symlink");
      }
      return p;
    } catch (IOException e) {
      throw new SandboxEscapeException(
          "path '" + shownAs + "' cannot be resolved: " + e.getMessage());
    }
  }
}
