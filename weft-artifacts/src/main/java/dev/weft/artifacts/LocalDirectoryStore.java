package dev.weft.artifacts;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Artifacts as files under one directory: key {@code a/b/c.tgz} is the file {@code root/a/b/c.tgz}.
 * The embedded default for one machine. Writes go to a temporary sibling and are renamed into
 * place.
 */
public final class LocalDirectoryStore implements ArtifactStore, RangeReadable {
  /** Prefix of in-flight writes; such names are never served as artifacts. */
  static final String TEMP_PREFIX = ".weft-partial-";

  private final Path root;

  public LocalDirectoryStore(Path root) {
    try {
      Files.createDirectories(root);
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "artifact directory " + root + " cannot be created: " + e.getMessage(), e);
    }
  }

  /** The directory holding the artifacts. */
  public Path root() {
    return root;
  }

  @Override
  public void get(String key, Path target) throws IOException {
    Path source = resolve(key);
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS) || isPartial(source)) {
      throw new ArtifactNotFoundException(key, describe());
    }
    if (Files.isSymbolicLink(source)) {
      throw new IOException("artifact '" + key + "' in " + describe() + " is a symlink; refused");
    }
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      copyTree(source, target);
    } else {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public void put(Path source, String key) throws IOException {
    Path dest = resolve(key);
    Files.createDirectories(dest.getParent());
    Path temp = dest.resolveSibling(TEMP_PREFIX + UUID.randomUUID());
    try {
      if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
        copyTree(source, temp);
      } else {
        Files.copy(source, temp, LinkOption.NOFOLLOW_LINKS);
      }
      if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(dest); // a rename cannot replace a non-empty directory
      }
      try {
        Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, dest, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      deleteTree(temp);
    }
  }

  @Override
  public long size(String key) throws IOException {
    Path p = resolve(key);
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || isPartial(p))
      throw new ArtifactNotFoundException(key, describe());
    return Files.size(p);
  }

  @Override
  public long totalSize(String key) throws IOException {
    Path p = resolve(key);
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || isPartial(p))
      throw new ArtifactNotFoundException(key, describe());
    try (Stream<Path> walk = Files.walk(p)) {
      long total = 0;
      for (Path f : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) total += Files.size(f);
      }
      return total;
    }
  }

  @Override
  public java.io.InputStream read(String key, long offset, long length) throws IOException {
    size(key);
    return BoundedStreams.slice(resolve(key), offset, length);
  }

  @Override
  public String describe() {
    return "local directory " + root;
  }

  private Path resolve(String key) {
    Path p = root.resolve(ArtifactKeys.check(key)).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("artifact key '" + key + "' leads outside " + describe());
    }
    return p;
  }

  private static boolean isPartial(Path p) {
    return p.getFileName().toString().startsWith(TEMP_PREFIX);
  }

  /** Copies a directory tree without following symlinks; symlinks are refused. */
  static void copyTree(Path from, Path to) throws IOException {
    if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(to.toString());
    }
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          throw new IOException("symlink " + p + " in a directory artifact; refused");
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(dest);
        } else if (!isPartial(p)) {
          Files.copy(p, dest);
        }
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(q);
      }
    }
  }
}
