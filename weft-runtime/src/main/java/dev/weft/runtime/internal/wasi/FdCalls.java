package dev.weft.runtime.internal.wasi;

import static dev.weft.runtime.internal.wasi.Guest.i32;

import com.dylibso.chicory.runtime.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The fd_* functions of WASI preview 1. */
final class FdCalls {
  /**
   * Reads are copied through a buffer of at most this size, so a huge iovec cannot exhaust the
   * heap.
   */
  private static final int CHUNK = 64 * 1024;

  private final FdTable fds;

  FdCalls(FdTable fds) {
    this.fds = fds;
  }

  Descriptor fd(long fd) {
    Descriptor d = fds.get(i32(fd));
    if (d == null) throw Errno.of(Abi.EBADF);
    return d;
  }

  Descriptor fdOrNull(int fd) {
    return fds.get(fd);
  }

  private Descriptor.File file(long fd, int ifDir, int ifStream) {
    Descriptor d = fd(fd);
    if (d instanceof Descriptor.File f) return f;
    throw Errno.of(d instanceof Descriptor.Dir ? ifDir : ifStream);
  }

  private static Descriptor.File readable(Descriptor.File f) {
    // Reading an fd opened without (or stripped of) FD_READ is EBADF, as on Linux and in wasmtime.
    if (!f.readable || !f.has(Abi.FD_READ)) throw Errno.of(Abi.EBADF);
    return f;
  }

  private static Descriptor.File writable(Descriptor.File f) {
    if (!f.writable || !f.has(Abi.FD_WRITE)) throw Errno.of(Abi.EBADF);
    return f;
  }

  int read(Memory m, long fd, long iovs, long iovsLen, long nreadPtr) throws IOException {
    Descriptor d = fd(fd);
    long total = 0;
    if (d instanceof Descriptor.Input in) {
      for (Guest.Iovec v : Guest.iovecs(m, iovs, iovsLen)) {
        int n = readInto(m, v, (buf, len) -> in.in.read(buf, 0, len));
        total += n;
        if (n < v.length()) break;
      }
    } else if (d instanceof Descriptor.File f) {
      readable(f);
      for (Guest.Iovec v : Guest.iovecs(m, iovs, iovsLen)) {
        int n = readInto(m, v, (buf, len) -> f.channel.read(ByteBuffer.wrap(buf, 0, len)));
        total += n;
        if (n < v.length()) break;
      }
    } else {
      throw Errno.of(d instanceof Descriptor.Dir ? Abi.EISDIR : Abi.EBADF);
    }
    m.writeI32(i32(nreadPtr), (int) total);
    return Abi.SUCCESS;
  }

  int pread(Memory m, long fd, long iovs, long iovsLen, long offset, long nreadPtr)
      throws IOException {
    Descriptor.File f = readable(file(fd, Abi.EISDIR, Abi.ESPIPE));
    if (offset < 0) throw Errno.of(Abi.EINVAL);
    long pos = offset;
    long total = 0;
    for (Guest.Iovec v : Guest.iovecs(m, iovs, iovsLen)) {
      final long at = pos;
      int n =
          readInto(
              m,
              v,
              new Source() {
                long p = at;

                @Override
                public int read(byte[] buf, int len) throws IOException {
                  int r = f.channel.read(ByteBuffer.wrap(buf, 0, len), p);
                  if (r > 0) p += r;
                  return r;
                }
              });
      total += n;
      pos += n;
      if (n < v.length()) break;
    }
    m.writeI32(i32(nreadPtr), (int) total);
    return Abi.SUCCESS;
  }

  private interface Source {
    /** Up to {@code len} bytes into {@code buf}; -1 or 0 at the end. */
    int read(byte[] buf, int len) throws IOException;
  }

  /** Fills one iovec in chunks; returns the bytes read (short at end of data). */
  private static int readInto(Memory m, Guest.Iovec v, Source src) throws IOException {
    byte[] buf = new byte[Math.min(CHUNK, Math.max(v.length(), 0))];
    int done = 0;
    while (done < v.length()) {
      int want = Math.min(buf.length, v.length() - done);
      int n = src.read(buf, want);
      if (n <= 0) break;
      m.write(v.address() + done, buf, 0, n);
      done += n;
      if (n < want) break;
    }
    return done;
  }

  int write(Memory m, long fd, long iovs, long iovsLen, long nwrittenPtr) throws IOException {
    Descriptor d = fd(fd);
    long total = 0;
    if (d instanceof Descriptor.Output out) {
      for (Guest.Iovec v : Guest.iovecs(m, iovs, iovsLen)) {
        out.out.write(m.readBytes(v.address(), v.length()));
        total += v.length();
      }
    } else if (d instanceof Descriptor.File f) {
      writable(f);
      for (Guest.Iovec v : Guest.iovecs(m, iovs, iovsLen)) {
        // append is applied per write, so fd_fdstat_set_flags can switch it at any time
        if (f.append()) f.channel.position(f.channel.size());
        ByteBuffer b = ByteBuffer.wrap(m.readBytes(v.address(), v.length()));
        while (b.hasRemaining()) f.channel.write(b);
        total += v.length();
      }
    } else {
      throw Errno.of(d instanceof Descriptor.Dir ? Abi.EISDIR : Abi.EBADF);
    }
    m.writeI32(i32(nwrittenPtr), (int) total);
    return Abi.SUCCESS;
  }

  /**
   * Writes at {@code offset} without moving the file position, also in append mode (as the spec
   * says).
   */
  int pwrite(Memory m, long fd, long iovs, long iovsLen, long offset, long nwrittenPtr)
      throws IOException {
    Descriptor.File f = writable(file(fd, Abi.EISDIR, Abi.ESPIPE));
    if (offset < 0) throw Errno.of(Abi.EINVAL);
    long pos = offset;
    for (Guest.Iovec v : Guest.iovecs(m, iovs, iovsLen)) {
      ByteBuffer b = ByteBuffer.wrap(m.readBytes(v.address(), v.length()));
      while (b.hasRemaining()) pos += f.channel.write(b, pos);
    }
    m.writeI32(i32(nwrittenPtr), (int) (pos - offset));
    return Abi.SUCCESS;
  }

  int seek(Memory m, long fd, long offset, long whence, long newOffsetPtr) throws IOException {
    Descriptor.File f = file(fd, Abi.EBADF, Abi.ESPIPE);
    long base =
        switch (i32(whence)) {
          case Abi.WHENCE_SET -> 0;
          case Abi.WHENCE_CUR -> f.channel.position();
          case Abi.WHENCE_END -> f.channel.size();
          default -> throw Errno.of(Abi.EINVAL);
        };
    long target = base + offset;
    if (target < 0) throw Errno.of(Abi.EINVAL);
    f.channel.position(target);
    m.writeLong(i32(newOffsetPtr), target);
    return Abi.SUCCESS;
  }

  int tell(Memory m, long fd, long offsetPtr) throws IOException {
    Descriptor.File f = file(fd, Abi.EBADF, Abi.ESPIPE);
    m.writeLong(i32(offsetPtr), f.channel.position());
    return Abi.SUCCESS;
  }

  int close(long fd) throws IOException {
    Descriptor d = fds.remove(i32(fd));
    if (d == null) return Abi.EBADF;
    d.close();
    return Abi.SUCCESS;
  }

  int renumber(long from, long to) {
    fd(from);
    fd(to);
    if (from != to) fds.renumber(i32(from), i32(to));
    return Abi.SUCCESS;
  }

  int fdstatGet(Memory m, long fd, long buf) {
    Descriptor d = fd(fd);
    byte type =
        d instanceof Descriptor.Dir
            ? Abi.FILETYPE_DIRECTORY
            : d instanceof Descriptor.File
                ? Abi.FILETYPE_REGULAR_FILE
                : Abi.FILETYPE_UNKNOWN; // stdio are pipes, not terminals: isatty() is false
    int b = i32(buf);
    m.write(b, new byte[Abi.FDSTAT_SIZE]);
    m.writeByte(b, type);
    m.writeShort(b + 2, (short) d.fdFlags);
    m.writeLong(b + 8, d.rightsBase);
    m.writeLong(b + 16, d.rightsInheriting);
    return Abi.SUCCESS;
  }

  /**
   * Any fdflags can be set; APPEND changes where the next fd_write goes, the others are recorded.
   */
  int fdstatSetFlags(long fd, long flags) {
    Descriptor d = fd(fd);
    if ((flags & ~Abi.FDFLAGS_ALL) != 0) throw Errno.of(Abi.EINVAL);
    d.fdFlags = (int) flags;
    return Abi.SUCCESS;
  }

  /** Rights can only be dropped, as the spec says; asking for more is ENOTCAPABLE. */
  int fdstatSetRights(long fd, long base, long inheriting) {
    Descriptor d = fd(fd);
    if ((base & ~d.rightsBase) != 0 || (inheriting & ~d.rightsInheriting) != 0)
      throw Errno.of(Abi.ENOTCAPABLE);
    d.rightsBase = base;
    d.rightsInheriting = inheriting;
    return Abi.SUCCESS;
  }

  int filestatGet(Memory m, long fd, long buf) throws IOException {
    Descriptor d = fd(fd);
    Stat s;
    if (d instanceof Descriptor.Dir dir) {
      s = Stat.of(dir.path);
    } else if (d instanceof Descriptor.File f) {
      try {
        s = Stat.of(f.path).withSize(f.channel.size());
      } catch (NoSuchFileException e) {
        // unlinked or renamed while open: the channel still knows the size
        s = new Stat(0, 0, Abi.FILETYPE_REGULAR_FILE, 0, f.channel.size(), 0, 0, 0);
      }
    } else {
      s = Stat.STREAM;
    }
    s.write(m, i32(buf));
    return Abi.SUCCESS;
  }

  int filestatSetSize(long fd, long size) throws IOException {
    Descriptor.File f = writable(file(fd, Abi.EISDIR, Abi.EINVAL));
    if (size < 0) throw Errno.of(Abi.EINVAL);
    resize(f, size, true);
    return Abi.SUCCESS;
  }

  int allocate(long fd, long offset, long len) throws IOException {
    Descriptor.File f = writable(file(fd, Abi.EISDIR, Abi.ESPIPE));
    if (offset < 0 || len <= 0 || offset + len < 0) throw Errno.of(Abi.EINVAL);
    if (offset + len > f.channel.size()) resize(f, offset + len, false);
    return Abi.SUCCESS;
  }

  /** Truncates or extends with zeros; the file position does not move. */
  private static void resize(Descriptor.File f, long size, boolean mayShrink) throws IOException {
    long current = f.channel.size();
    if (size < current && mayShrink) {
      f.channel.truncate(size);
    } else if (size > current) {
      // positional write: FileChannel.truncate cannot grow a file
      f.channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
    }
  }

  int filestatSetTimes(long fd, long atim, long mtim, long fstFlags) throws IOException {
    Descriptor d = fd(fd);
    Path p;
    if (d instanceof Descriptor.Dir dir) {
      p = dir.path;
    } else if (d instanceof Descriptor.File f) {
      p = f.path;
    } else {
      throw Errno.of(Abi.EBADF);
    }
    Stat.setTimes(p, atim, mtim, i32(fstFlags));
    return Abi.SUCCESS;
  }

  int advise(long fd, long offset, long len, long advice) {
    Descriptor d = fd(fd);
    if (advice < 0 || advice > 5 || offset < 0 || len < 0) throw Errno.of(Abi.EINVAL);
    if (d instanceof Descriptor.Dir) throw Errno.of(Abi.EBADF);
    if (!(d instanceof Descriptor.File)) throw Errno.of(Abi.ESPIPE);
    return Abi.SUCCESS; // advice only; the JVM offers no posix_fadvise
  }

  int sync(long fd, boolean metadata) throws IOException {
    Descriptor d = fd(fd);
    if (d instanceof Descriptor.File f) {
      f.channel.force(metadata);
    } else if (!(d instanceof Descriptor.Dir)) {
      throw Errno.of(Abi.EINVAL);
    }
    return Abi.SUCCESS;
  }

  int prestatGet(Memory m, long fd, long buf) {
    Descriptor d = fd(fd);
    if (!(d instanceof Descriptor.Dir dir) || dir.preopenName.isEmpty()) throw Errno.of(Abi.EBADF);
    m.writeI32(i32(buf), 0); // preopentype dir
    m.writeI32(i32(buf) + 4, dir.preopenName.get().getBytes(StandardCharsets.UTF_8).length);
    return Abi.SUCCESS;
  }

  int prestatDirName(Memory m, long fd, long ptr, long len) {
    Descriptor d = fd(fd);
    if (!(d instanceof Descriptor.Dir dir) || dir.preopenName.isEmpty()) throw Errno.of(Abi.EBADF);
    byte[] name = dir.preopenName.get().getBytes(StandardCharsets.UTF_8);
    if (len < name.length) throw Errno.of(Abi.ENAMETOOLONG);
    m.write(i32(ptr), name);
    return Abi.SUCCESS;
  }

  /**
   * Entries are ".", ".." and the directory's names in sorted order, so listings are the same on
   * every storage; the cookie of an entry is the index of the next one in the listing taken at
   * cookie 0, and entries removed since are skipped. The last entry that does not fit is cut off,
   * which tells the caller to call again with a larger buffer.
   */
  int readdir(Memory m, long fd, long buf, long bufLen, long cookie, long usedPtr)
      throws IOException {
    Descriptor d = fd(fd);
    if (!(d instanceof Descriptor.Dir dir)) throw Errno.of(Abi.ENOTDIR);
    if (cookie == 0 || dir.listing == null) {
      List<String> fresh = new ArrayList<>();
      fresh.add(".");
      fresh.add("..");
      try (Stream<Path> s = Files.list(dir.path)) {
        s.map(p -> p.getFileName().toString()).sorted().forEach(fresh::add);
      }
      dir.listing = fresh;
    }
    List<String> names = dir.listing;
    int used = 0;
    int cap = (int) Math.min(bufLen, Integer.MAX_VALUE);
    for (long i = Math.max(cookie, 0); i < names.size() && used < cap; i++) {
      String name = names.get((int) i);
      Stat s;
      try {
        Path p =
            name.equals(".")
                ? dir.path
                : name.equals("..") ? parentOrSelf(dir) : dir.path.resolve(name);
        s = Stat.of(p);
      } catch (NoSuchFileException e) {
        continue; // removed since the listing
      }
      byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
      ByteBuffer e =
          ByteBuffer.allocate(Abi.DIRENT_SIZE + nameBytes.length)
              .order(java.nio.ByteOrder.LITTLE_ENDIAN);
      e.putLong(0, i + 1);
      e.putLong(8, s.ino());
      e.putInt(16, nameBytes.length);
      e.put(20, s.filetype());
      e.position(Abi.DIRENT_SIZE);
      e.put(nameBytes);
      int n = Math.min(e.capacity(), cap - used);
      m.write(i32(buf) + used, e.array(), 0, n);
      used += n;
    }
    m.writeI32(i32(usedPtr), used);
    return Abi.SUCCESS;
  }

  /** A preopen's ".." is itself: the guest sees nothing above a preopened directory. */
  private static Path parentOrSelf(Descriptor.Dir dir) {
    Path parent = dir.path.getParent();
    return dir.preopenName.isPresent()
            || parent == null
            || !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)
        ? dir.path
        : parent;
  }
}
