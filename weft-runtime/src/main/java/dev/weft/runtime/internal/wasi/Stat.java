package dev.weft.runtime.internal.wasi;

import com.dylibso.chicory.runtime.Memory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A WASI {@code filestat}, read from a file's attributes, and the time setters behind *_set_times.
 */
record Stat(
    long dev, long ino, byte filetype, long nlink, long size, long atim, long mtim, long ctim) {

  static final Stat STREAM = new Stat(0, 0, Abi.FILETYPE_UNKNOWN, 1, 0, 0, 0, 0);

  /** The entry itself: a symlink is described, not followed (callers resolve first). */
  static Stat of(Path p) throws IOException {
    BasicFileAttributes b =
        Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    long dev = 0;
    long ino = b.fileKey() == null ? 0 : b.fileKey().hashCode() & 0xffffffffL;
    long nlink = 1;
    long ctim = nanos(b.lastModifiedTime());
    try {
      Map<String, Object> u =
          Files.readAttributes(p, "unix:dev,ino,nlink,ctime", LinkOption.NOFOLLOW_LINKS);
      dev = ((Number) u.get("dev")).longValue();
      ino = ((Number) u.get("ino")).longValue();
      nlink = ((Number) u.get("nlink")).longValue();
      ctim = nanos((FileTime) u.get("ctime"));
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // a file system without the unix view: keep what the basic view gives
    }
    return new Stat(
        dev,
        ino,
        filetype(b),
        nlink,
        b.size(),
        nanos(b.lastAccessTime()),
        nanos(b.lastModifiedTime()),
        ctim);
  }

  static byte filetype(BasicFileAttributes b) {
    if (b.isSymbolicLink()) return Abi.FILETYPE_SYMBOLIC_LINK;
    if (b.isDirectory()) return Abi.FILETYPE_DIRECTORY;
    if (b.isRegularFile()) return Abi.FILETYPE_REGULAR_FILE;
    return Abi.FILETYPE_UNKNOWN;
  }

  Stat withSize(long newSize) {
    return new Stat(dev, ino, filetype, nlink, newSize, atim, mtim, ctim);
  }

  void write(Memory m, int buf) {
    m.write(buf, new byte[Abi.FILESTAT_SIZE]);
    m.writeLong(buf, dev);
    m.writeLong(buf + 8, ino);
    m.writeByte(buf + 16, filetype);
    m.writeLong(buf + 24, nlink);
    m.writeLong(buf + 32, size);
    m.writeLong(buf + 40, atim);
    m.writeLong(buf + 48, mtim);
    m.writeLong(buf + 56, ctim);
  }

  /**
   * Sets access and modification times of the entry itself (never through a symlink: callers
   * resolve first, honouring the lookup flags).
   */
  static void setTimes(Path p, long atim, long mtim, int fstFlags) throws IOException {
    if ((fstFlags & ~(Abi.FST_ATIM | Abi.FST_ATIM_NOW | Abi.FST_MTIM | Abi.FST_MTIM_NOW)) != 0)
      throw Errno.of(Abi.EINVAL);
    if ((fstFlags & Abi.FST_ATIM) != 0 && (fstFlags & Abi.FST_ATIM_NOW) != 0)
      throw Errno.of(Abi.EINVAL);
    if ((fstFlags & Abi.FST_MTIM) != 0 && (fstFlags & Abi.FST_MTIM_NOW) != 0)
      throw Errno.of(Abi.EINVAL);
    FileTime now = FileTime.from(Instant.now());
    FileTime a =
        (fstFlags & Abi.FST_ATIM) != 0
            ? FileTime.from(atim, TimeUnit.NANOSECONDS)
            : (fstFlags & Abi.FST_ATIM_NOW) != 0 ? now : null;
    FileTime m =
        (fstFlags & Abi.FST_MTIM) != 0
            ? FileTime.from(mtim, TimeUnit.NANOSECONDS)
            : (fstFlags & Abi.FST_MTIM_NOW) != 0 ? now : null;
    if (a == null && m == null) return;
    Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(m, a, null);
  }

  private static long nanos(FileTime t) {
    return t == null ? 0 : t.to(TimeUnit.NANOSECONDS);
  }
}
