package dev.weft.runtime.internal.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Copies files and directory trees, also between file systems (host and in-memory sandbox). */
public final class Copy {
  private Copy() {}

  /** Copies a trusted host file or directory into the sandbox; returns the bytes copied. */
  public static long intoSandbox(Path source, Path target) throws IOException {
    return copy(source, target, false, source.toString());
  }

  /**
   * Copies an output out of the sandbox, refusing symlinks anywhere in it: a module could otherwise
   * point one at a host file visible through a mount.
   */
  public static long outOfSandbox(Path source, Path target, String shownAs) throws IOException {
    return copy(source, target, true, shownAs);
  }

  private static long copy(Path source, Path target, boolean refuseSymlinks, String shownAs)
      throws IOException {
    if (refuseSymlinks && Files.isSymbolicLink(source)) {
      throw new SandboxEscapeException(
          "output '" + shownAs + "' is a symlink; weft does not export symlinks");
    }
    LinkOption[] links =
        refuseSymlinks ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
    if (!Files.isDirectory(source, links)) {
      copyFile(source, target, links);
      return Files.size(target);
    }
    long[] total = {0};
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectories(target.resolve(relative(source, dir)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (refuseSymlinks && attrs.isSymbolicLink()) {
              throw new SandboxEscapeException(
                  "output '"
                      + shownAs
                      + "' contains a symlink ("
                      + relative(source, file)
                      + "); weft does not export symlinks");
            }
            copyFile(file, target.resolve(relative(source, file)), links);
            total[0] += attrs.size();
            return FileVisitResult.CONTINUE;
          }
        });
    return total[0];
  }

  /**
   * Between two file systems the bytes are streamed: Jimfs (1.3.0) copies between two of its file
   * systems by charging the copied blocks to the source's space, so a long-lived source (weft
   * serve's scratch space) would run out after staging its size limit in total.
   */
  private static void copyFile(Path source, Path target, LinkOption[] links) throws IOException {
    if (source.getFileSystem().equals(target.getFileSystem())) {
      Files.copy(source, target, links);
      return;
    }
    try (java.io.InputStream in = Files.newInputStream(source)) {
      Files.copy(in, target);
    }
  }

  /** The relative path as a string, so it can be resolved against a path of another file system. */
  private static String relative(Path base, Path p) {
    return base.relativize(p).toString();
  }
}
