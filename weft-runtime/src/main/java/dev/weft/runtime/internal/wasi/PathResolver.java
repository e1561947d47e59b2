package dev.weft.runtime.internal.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a guest path under a directory descriptor one component at a time, following symlinks
 * itself, so that neither {@code ..} nor a symlink (relative or absolute) can leave the directory,
 * on a host mount as in the in-memory sandbox. The last component is left unresolved unless asked:
 * most path_* calls act on the entry itself (unlink, rename, symlink, link).
 */
final class PathResolver {
  private PathResolver() {}

  /**
   * Where a path leads: the directory that holds its last component and that component's name, or
   * no name when the path names the directory itself ({@code .}, {@code a/..}).
   */
  record Resolved(Path dir, String name, boolean trailingSlash) {
    Path target() {
      return name == null ? dir : dir.resolve(name);
    }

    boolean isSelf() {
      return name == null;
    }
  }

  /**
   * @param followFinal whether a symlink as last component is followed (path_open and
   *     path_filestat_* with LOOKUP_SYMLINK_FOLLOW)
   * @throws Errno ENOENT, ENOTDIR, ELOOP, EINVAL, or ENOTCAPABLE for a path that leaves {@code
   *     base}
   */
  static Resolved resolve(Descriptor.Dir base, String path, boolean followFinal) {
    if (path.isEmpty()) throw Errno.of(Abi.ENOENT);
    if (path.indexOf('\0') >= 0) throw Errno.of(Abi.EINVAL);
    if (path.startsWith("/")) throw Errno.of(Abi.ENOTCAPABLE);
    boolean trailing = path.endsWith("/");
    Deque<String> todo = new ArrayDeque<>(components(path));
    List<String> stack = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      boolean last = todo.isEmpty();
      if (c.equals(".") || c.equals("..")) {
        if (c.equals("..")) {
          if (stack.isEmpty()) throw Errno.of(Abi.ENOTCAPABLE);
          stack.remove(stack.size() - 1);
        }
        if (last) return new Resolved(at(base.path, stack), null, trailing);
        continue;
      }
      Path p = at(base.path, stack).resolve(c);
      if ((!last || followFinal) && Files.isSymbolicLink(p)) {
        if (++links > Abi.MAX_SYMLINKS) throw Errno.of(Abi.ELOOP);
        String target = readLink(p);
        if (target.isEmpty()) throw Errno.of(Abi.ENOENT);
        if (target.startsWith("/")) throw Errno.of(Abi.ENOTCAPABLE);
        if (last && target.endsWith("/")) trailing = true;
        List<String> parts = components(target);
        for (int i = parts.size() - 1; i >= 0; i--) todo.addFirst(parts.get(i));
        if (todo.isEmpty()) return new Resolved(at(base.path, stack), null, trailing);
        continue;
      }
      if (last) return new Resolved(at(base.path, stack), c, trailing);
      BasicFileAttributes a = attributes(p);
      if (a == null) throw Errno.of(Abi.ENOENT);
      if (!a.isDirectory()) throw Errno.of(Abi.ENOTDIR);
      stack.add(c);
    }
    return new Resolved(at(base.path, stack), null, trailing);
  }

  /** The entry's own attributes (a symlink is not followed), or null when nothing is there. */
  static BasicFileAttributes attributes(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw Errno.of(Errno.of(e));
    }
  }

  private static String readLink(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException e) {
      throw Errno.of(Errno.of(e));
    }
  }

  private static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) out.add(s);
    }
    return out;
  }

  private static Path at(Path base, List<String> stack) {
    Path p = base;
    for (String s : stack) p = p.resolve(s);
    return p;
  }
}
