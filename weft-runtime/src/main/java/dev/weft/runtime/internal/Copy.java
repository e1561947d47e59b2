package dev.weft.runtime.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Copies files and directory trees, also between file systems (host and in-memory sandbox). */
final class Copy {
  private Copy() {}

  /** Copies {@code source} (file or directory) to {@code target}; returns the bytes copied. */
  static long tree(Path source, Path target) throws IOException {
    if (!Files.isDirectory(source)) {
      Files.copy(source, target);
      return Files.size(target);
    }
    long[] total = {0};
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(target.resolve(relative(source, dir)));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path t = target.resolve(relative(source, file));
        Files.copy(file, t);
        total[0] += attrs.size();
        return FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }

  /**
   * Copies an output out of the sandbox, refusing symlinks anywhere in it: a module could
   * otherwise point one at a host file visible through a mount.
   */
  static long outOfSandbox(Path source, Path target, String shownAs) throws IOException {
    if (Files.isSymbolicLink(source)) {
      throw new SandboxEscapeException("output '" + shownAs + "' is a symlink; weft does not export symlinks");
    }
    if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      Files.copy(source, target, LinkOption.NOFOLLOW_LINKS);
      return Files.size(target);
    }
    long[] total = {0};
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(target.resolve(relative(source, dir)));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isSymbolicLink()) {
          throw new SandboxEscapeException("output '" + shownAs + "' contains a symlink (" + relative(source, file) + "); weft does not export symlinks");
        }
        Files.copy(file, target.resolve(relative(source, file)), LinkOption.NOFOLLOW_LINKS);
        total[0] += attrs.size();
        return FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }

  /** The relative path as a string, so it can be resolved against a path of another file system. */
  private static String relative(Path base, Path p) {
    return base.relativize(p).toString();
  }
}
