package dev.weft.runtime.internal.wasi;

/**
 * Numbers of the WASI preview 1 ABI (witx {@code typenames}): errno values, rights, flags and
 * struct layouts that weft's host functions read and write.
 */
final class Abi {
  private Abi() {}

  // errno (only the values weft returns)
  static final int SUCCESS = 0;
  static final int EACCES = 2;
  static final int EBADF = 8;
  static final int EBUSY = 10;
  static final int EEXIST = 20;
  static final int EFAULT = 21;
  static final int EILSEQ = 25;
  static final int EINVAL = 28;
  static final int EIO = 29;
  static final int EISDIR = 31;
  static final int ELOOP = 32;
  static final int ENAMETOOLONG = 37;
  static final int ENOENT = 44;
  static final int ENOSPC = 51;
  static final int ENOSYS = 52;
  static final int ENOTDIR = 54;
  static final int ENOTEMPTY = 55;
  static final int ENOTSOCK = 57;
  static final int ENOTSUP = 58;
  static final int EPERM = 63;
  static final int EROFS = 69;
  static final int ESPIPE = 70;
  static final int EXDEV = 75;
  static final int ENOTCAPABLE = 76;

  // rights
  static final long FD_DATASYNC = 1L << 0;
  static final long FD_READ = 1L << 1;
  static final long FD_SEEK = 1L << 2;
  static final long FD_FDSTAT_SET_FLAGS = 1L << 3;
  static final long FD_SYNC = 1L << 4;
  static final long FD_TELL = 1L << 5;
  static final long FD_WRITE = 1L << 6;
  static final long FD_ADVISE = 1L << 7;
  static final long FD_ALLOCATE = 1L << 8;
  static final long FD_READDIR = 1L << 14;
  static final long FD_FILESTAT_GET = 1L << 21;
  static final long FD_FILESTAT_SET_SIZE = 1L << 22;
  static final long FD_FILESTAT_SET_TIMES = 1L << 23;
  static final long POLL_FD_READWRITE = 1L << 27;

  /** Every right preview 1 defines (bits 0 to 29). */
  static final long ALL_RIGHTS = (1L << 30) - 1;

  /** Rights that make sense on a regular file. */
  static final long FILE_RIGHTS =
      FD_DATASYNC
          | FD_READ
          | FD_SEEK
          | FD_FDSTAT_SET_FLAGS
          | FD_SYNC
          | FD_TELL
          | FD_WRITE
          | FD_ADVISE
          | FD_ALLOCATE
          | FD_FILESTAT_GET
          | FD_FILESTAT_SET_SIZE
          | FD_FILESTAT_SET_TIMES
          | POLL_FD_READWRITE;

  /**
   * Rights that make sense on a directory: the path_* rights (bits 9 to 26 less the fd ones) and a
   * few fd_* ones.
   */
  static final long DIRECTORY_RIGHTS =
      (ALL_RIGHTS & ~FILE_RIGHTS & ~(1L << 28) & ~(1L << 29))
          | FD_DATASYNC
          | FD_FDSTAT_SET_FLAGS
          | FD_SYNC
          | FD_FILESTAT_GET
          | FD_FILESTAT_SET_TIMES;

  // fdflags
  static final int FDFLAGS_APPEND = 1;
  static final int FDFLAGS_DSYNC = 2;
  static final int FDFLAGS_NONBLOCK = 4;
  static final int FDFLAGS_RSYNC = 8;
  static final int FDFLAGS_SYNC = 16;
  static final int FDFLAGS_ALL = 31;

  // oflags
  static final int O_CREAT = 1;
  static final int O_DIRECTORY = 2;
  static final int O_EXCL = 4;
  static final int O_TRUNC = 8;

  // lookupflags
  static final int LOOKUP_SYMLINK_FOLLOW = 1;

  // fstflags
  static final int FST_ATIM = 1;
  static final int FST_ATIM_NOW = 2;
  static final int FST_MTIM = 4;
  static final int FST_MTIM_NOW = 8;

  // whence
  static final int WHENCE_SET = 0;
  static final int WHENCE_CUR = 1;
  static final int WHENCE_END = 2;

  // filetype
  static final byte FILETYPE_UNKNOWN = 0;
  static final byte FILETYPE_CHARACTER_DEVICE = 2;
  static final byte FILETYPE_DIRECTORY = 3;
  static final byte FILETYPE_REGULAR_FILE = 4;
  static final byte FILETYPE_SYMBOLIC_LINK = 7;

  // clockid
  static final int CLOCK_REALTIME = 0;
  static final int CLOCK_MONOTONIC = 1;
  static final int CLOCK_PROCESS_CPUTIME = 2;
  static final int CLOCK_THREAD_CPUTIME = 3;

  // eventtype and subclockflags
  static final byte EVENT_CLOCK = 0;
  static final byte EVENT_FD_READ = 1;
  static final byte EVENT_FD_WRITE = 2;
  static final int SUBCLOCK_ABSTIME = 1;

  // struct sizes
  static final int SUBSCRIPTION_SIZE = 48;
  static final int EVENT_SIZE = 32;
  static final int DIRENT_SIZE = 24;
  static final int FILESTAT_SIZE = 64;
  static final int FDSTAT_SIZE = 24;

  /** Symlinks followed in one path resolution before ELOOP, as Linux' MAXSYMLINKS. */
  static final int MAX_SYMLINKS = 40;
}
