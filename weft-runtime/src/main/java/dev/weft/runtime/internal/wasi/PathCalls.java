package dev.weft.runtime.internal.wasi;

import static dev.weft.runtime.internal.wasi.Guest.i32;

import com.dylibso.chicory.runtime.Memory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The path_* functions of WASI preview 1, with POSIX's (and wasmtime's) errors. Every path is
 * resolved by {@link PathResolver}; each call then looks at the entry itself, never through a
 * symlink it was not asked to follow.
 */
final class PathCalls {
  private final FdTable fds;
  private final SandboxSpace space;

  PathCalls(FdTable fds, SandboxSpace space) {
    this.fds = fds;
    this.space = space;
  }

  /** Creates a new directory entry at {@code p}, charged to the sandbox; refunded if it fails. */
  private <T> T created(Path p, IoCall<T> create) throws IOException {
    space.charge(p);
    boolean made = false;
    try {
      T t = create.call();
      made = true;
      return t;
    } finally {
      if (!made) space.refund(p);
    }
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T call() throws IOException;
  }

  private Descriptor.Dir dir(long fd) {
    Descriptor d = fds.get(i32(fd));
    if (d == null) throw Errno.of(Abi.EBADF);
    if (!(d instanceof Descriptor.Dir dir)) throw Errno.of(Abi.ENOTDIR);
    return dir;
  }

  private static PathResolver.Resolved resolve(
      Memory m, Descriptor.Dir dir, long ptr, long len, boolean followFinal) {
    String path = Guest.string(m, ptr, len);
    // a trailing slash asks for a directory, so a symlink there is followed (POSIX path resolution)
    return PathResolver.resolve(dir, path, followFinal || path.endsWith("/"));
  }

  int open(
      Memory m,
      long dirFd,
      long lookup,
      long ptr,
      long len,
      long oflags,
      long rightsBase,
      long rightsInheriting,
      long fdFlags,
      long fdPtr)
      throws IOException {
    Descriptor.Dir dir = dir(dirFd);
    if ((fdFlags & ~Abi.FDFLAGS_ALL) != 0) throw Errno.of(Abi.EINVAL);
    PathResolver.Resolved r = resolve(m, dir, ptr, len, (lookup & Abi.LOOKUP_SYMLINK_FOLLOW) != 0);
    Path target = r.target();
    BasicFileAttributes a = PathResolver.attributes(target);
    boolean create = (oflags & Abi.O_CREAT) != 0;
    boolean wantDir = (oflags & Abi.O_DIRECTORY) != 0;
    boolean truncate = (oflags & Abi.O_TRUNC) != 0;
    if (a != null && a.isSymbolicLink())
      throw Errno.of(wantDir ? Abi.ENOTDIR : Abi.ELOOP); // O_NOFOLLOW
    if (a != null && create && (oflags & Abi.O_EXCL) != 0) throw Errno.of(Abi.EEXIST);
    if (a != null && a.isDirectory()) {
      // open(dir, O_RDWR) is EISDIR; with O_DIRECTORY the file rights asked for are just dropped
      if (create || truncate || (!wantDir && (rightsBase & Abi.FD_WRITE) != 0))
        throw Errno.of(Abi.EISDIR);
      long base = rightsBase & dir.rightsInheriting & Abi.DIRECTORY_RIGHTS;
      long inheriting = rightsInheriting & dir.rightsInheriting;
      m.writeI32(
          i32(fdPtr), fds.add(new Descriptor.Dir(target, Optional.empty(), base, inheriting)));
      return Abi.SUCCESS;
    }
    if (a == null) {
      if (!create) throw Errno.of(Abi.ENOENT);
      if (r.trailingSlash()) throw Errno.of(Abi.EISDIR);
      if (wantDir) throw Errno.of(Abi.EINVAL);
    } else {
      if (wantDir || r.trailingSlash()) throw Errno.of(Abi.ENOTDIR);
      // a FIFO or device on a host mount would block the task's thread on open
      if (!a.isRegularFile()) throw Errno.of(Abi.ENOTSUP);
    }
    boolean read = (rightsBase & Abi.FD_READ) != 0;
    boolean write =
        (rightsBase & (Abi.FD_WRITE | Abi.FD_ALLOCATE | Abi.FD_FILESTAT_SET_SIZE)) != 0
            || truncate
            || a == null;
    Set<OpenOption> opts = new HashSet<>();
    opts.add(LinkOption.NOFOLLOW_LINKS);
    if (read || !write) opts.add(StandardOpenOption.READ);
    if (write) opts.add(StandardOpenOption.WRITE);
    if (create)
      opts.add(
          (oflags & Abi.O_EXCL) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
    if (truncate) opts.add(StandardOpenOption.TRUNCATE_EXISTING);
    if ((fdFlags & Abi.FDFLAGS_SYNC) != 0) opts.add(StandardOpenOption.SYNC);
    if ((fdFlags & Abi.FDFLAGS_DSYNC) != 0) opts.add(StandardOpenOption.DSYNC);
    // APPEND is not passed on: Java refuses READ with APPEND and APPEND with TRUNCATE_EXISTING;
    // Descriptor.File applies it on each write instead.
    FileChannel channel =
        a == null
            ? created(target, () -> FileChannel.open(target, opts))
            : FileChannel.open(target, opts);
    long base = rightsBase & dir.rightsInheriting & Abi.FILE_RIGHTS;
    long inheriting = rightsInheriting & dir.rightsInheriting;
    Descriptor.File f =
        new Descriptor.File(
            target,
            channel,
            opts.contains(StandardOpenOption.READ),
            write,
            base,
            inheriting,
            (int) fdFlags);
    m.writeI32(i32(fdPtr), fds.add(f));
    return Abi.SUCCESS;
  }

  int createDirectory(Memory m, long fd, long ptr, long len) throws IOException {
    PathResolver.Resolved r = resolve(m, dir(fd), ptr, len, false);
    if (r.isSelf() || PathResolver.attributes(r.target()) != null) throw Errno.of(Abi.EEXIST);
    created(r.target(), () -> Files.createDirectory(r.target()));
    return Abi.SUCCESS;
  }

  int removeDirectory(Memory m, long fd, long ptr, long len) throws IOException {
    PathResolver.Resolved r = resolve(m, dir(fd), ptr, len, false);
    if (r.isSelf()) throw Errno.of(Abi.EINVAL);
    BasicFileAttributes a = PathResolver.attributes(r.target());
    if (a == null) throw Errno.of(Abi.ENOENT);
    if (!a.isDirectory()) throw Errno.of(Abi.ENOTDIR);
    Files.delete(r.target());
    space.refund(r.target());
    return Abi.SUCCESS;
  }

  int unlinkFile(Memory m, long fd, long ptr, long len) throws IOException {
    PathResolver.Resolved r = resolve(m, dir(fd), ptr, len, false);
    if (r.isSelf()) throw Errno.of(Abi.EISDIR);
    BasicFileAttributes a = PathResolver.attributes(r.target());
    if (a == null) throw Errno.of(Abi.ENOENT);
    if (a.isDirectory()) throw Errno.of(Abi.EISDIR);
    if (r.trailingSlash()) throw Errno.of(Abi.ENOTDIR);
    Files.delete(r.target());
    space.refund(r.target());
    return Abi.SUCCESS;
  }

  /**
   * rename(2): replaces a file or an empty directory; a plain move without copying attributes, so
   * it works on host directories (Chicory asks for COPY_ATTRIBUTES, which the default file system
   * refuses for moves).
   */
  int rename(Memory m, long oldFd, long oldPtr, long oldLen, long newFd, long newPtr, long newLen)
      throws IOException {
    PathResolver.Resolved from = resolve(m, dir(oldFd), oldPtr, oldLen, false);
    PathResolver.Resolved to = resolve(m, dir(newFd), newPtr, newLen, false);
    if (from.isSelf() || to.isSelf()) throw Errno.of(Abi.EBUSY);
    Path src = from.target();
    Path dst = to.target();
    BasicFileAttributes a = PathResolver.attributes(src);
    if (a == null) throw Errno.of(Abi.ENOENT);
    if (!a.isDirectory() && (from.trailingSlash() || to.trailingSlash()))
      throw Errno.of(Abi.ENOTDIR);
    if (src.getFileSystem() != dst.getFileSystem()) throw Errno.of(Abi.EXDEV);
    BasicFileAttributes b = PathResolver.attributes(dst);
    if (b != null) {
      if (a.fileKey() != null && a.fileKey().equals(b.fileKey()))
        return Abi.SUCCESS; // the same file: rename(2) does nothing
      if (a.isDirectory() && !b.isDirectory()) throw Errno.of(Abi.ENOTDIR);
      if (!a.isDirectory() && b.isDirectory()) throw Errno.of(Abi.EISDIR);
      if (b.isDirectory() && !isEmpty(dst)) throw Errno.of(Abi.ENOTEMPTY);
    }
    if (a.isDirectory()
        && dst.toAbsolutePath().normalize().startsWith(src.toAbsolutePath().normalize())) {
      throw Errno.of(Abi.EINVAL); // into itself
    }
    try {
      Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw Errno.of(Abi.EXDEV); // two host mounts on different devices
    }
    if (b != null) space.refund(dst); // the entry it replaced is gone
    return Abi.SUCCESS;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /**
   * link(2): the destination is checked without following symlinks, so a dangling one is EEXIST.
   */
  int link(
      Memory m,
      long oldFd,
      long oldFlags,
      long oldPtr,
      long oldLen,
      long newFd,
      long newPtr,
      long newLen)
      throws IOException {
    PathResolver.Resolved from =
        resolve(m, dir(oldFd), oldPtr, oldLen, (oldFlags & Abi.LOOKUP_SYMLINK_FOLLOW) != 0);
    PathResolver.Resolved to = resolve(m, dir(newFd), newPtr, newLen, false);
    BasicFileAttributes a = from.isSelf() ? null : PathResolver.attributes(from.target());
    if (from.isSelf() || (a != null && a.isDirectory())) throw Errno.of(Abi.EPERM);
    if (a == null) throw Errno.of(Abi.ENOENT);
    if (to.isSelf() || PathResolver.attributes(to.target()) != null) throw Errno.of(Abi.EEXIST);
    if (from.trailingSlash()) throw Errno.of(Abi.ENOTDIR);
    if (to.trailingSlash()) throw Errno.of(Abi.ENOENT);
    if (from.target().getFileSystem() != to.target().getFileSystem()) throw Errno.of(Abi.EXDEV);
    created(to.target(), () -> Files.createLink(to.target(), from.target()));
    return Abi.SUCCESS;
  }

  /**
   * symlink(2). The target is stored as given; an absolute one is refused (EPERM, as wasmtime),
   * since it could only ever point outside the sandbox.
   */
  int symlink(Memory m, long oldPtr, long oldLen, long fd, long newPtr, long newLen)
      throws IOException {
    String target = Guest.string(m, oldPtr, oldLen);
    if (target.isEmpty()) throw Errno.of(Abi.ENOENT);
    if (target.indexOf('\0') >= 0) throw Errno.of(Abi.EINVAL);
    if (target.startsWith("/")) throw Errno.of(Abi.EPERM);
    PathResolver.Resolved r = resolve(m, dir(fd), newPtr, newLen, false);
    if (r.isSelf()) throw Errno.of(Abi.EEXIST);
    BasicFileAttributes a = PathResolver.attributes(r.target());
    if (a != null) throw Errno.of(r.trailingSlash() && !a.isDirectory() ? Abi.ENOTDIR : Abi.EEXIST);
    if (r.trailingSlash())
      throw Errno.of(Abi.ENOENT); // nothing there: "x/" cannot name a new symlink
    created(
        r.target(),
        () -> Files.createSymbolicLink(r.target(), r.target().getFileSystem().getPath(target)));
    return Abi.SUCCESS;
  }

  /** The link's text, cut to the buffer (as readlink(2) does). */
  int readlink(Memory m, long fd, long ptr, long len, long buf, long bufLen, long usedPtr)
      throws IOException {
    PathResolver.Resolved r = PathResolver.resolve(dir(fd), Guest.string(m, ptr, len), false);
    if (r.isSelf()) throw Errno.of(Abi.EINVAL);
    BasicFileAttributes a = PathResolver.attributes(r.target());
    if (a == null) throw Errno.of(Abi.ENOENT);
    if (!a.isSymbolicLink()) throw Errno.of(Abi.EINVAL);
    byte[] text = Files.readSymbolicLink(r.target()).toString().getBytes(StandardCharsets.UTF_8);
    int n = (int) Math.min(text.length, bufLen);
    m.write(i32(buf), text, 0, n);
    m.writeI32(i32(usedPtr), n);
    return Abi.SUCCESS;
  }

  int filestatGet(Memory m, long fd, long lookup, long ptr, long len, long buf) throws IOException {
    PathResolver.Resolved r =
        resolve(m, dir(fd), ptr, len, (lookup & Abi.LOOKUP_SYMLINK_FOLLOW) != 0);
    BasicFileAttributes a = PathResolver.attributes(r.target());
    if (a == null) throw Errno.of(Abi.ENOENT);
    if (r.trailingSlash() && !a.isDirectory()) throw Errno.of(Abi.ENOTDIR);
    Stat.of(r.target()).write(m, i32(buf));
    return Abi.SUCCESS;
  }

  /** Honours the lookup flags: without SYMLINK_FOLLOW the times of the symlink itself change. */
  int filestatSetTimes(
      Memory m, long fd, long lookup, long ptr, long len, long atim, long mtim, long fstFlags)
      throws IOException {
    PathResolver.Resolved r =
        resolve(m, dir(fd), ptr, len, (lookup & Abi.LOOKUP_SYMLINK_FOLLOW) != 0);
    BasicFileAttributes a = PathResolver.attributes(r.target());
    if (a == null) throw Errno.of(Abi.ENOENT);
    if (r.trailingSlash() && !a.isDirectory()) throw Errno.of(Abi.ENOTDIR);
    Stat.setTimes(r.target(), atim, mtim, i32(fstFlags));
    return Abi.SUCCESS;
  }
}
