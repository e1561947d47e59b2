package dev.weft.runtime.internal.wasi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An open file descriptor of a task. Rights and flags are mutable because {@code
 * fd_fdstat_set_rights} and {@code fd_fdstat_set_flags} change them on an open descriptor.
 */
abstract sealed class Descriptor
    permits Descriptor.Input, Descriptor.Output, Descriptor.Dir, Descriptor.File {
  long rightsBase;
  long rightsInheriting;
  int fdFlags;

  Descriptor(long rightsBase, long rightsInheriting, int fdFlags) {
    this.rightsBase = rightsBase;
    this.rightsInheriting = rightsInheriting;
    this.fdFlags = fdFlags;
  }

  boolean has(long right) {
    return (rightsBase & right) == right;
  }

  /** Releases what the descriptor holds; streams belong to the caller and stay open. */
  void close() throws IOException {}

  /** Standard input: weft feeds a byte array, so it never blocks. */
  static final class Input extends Descriptor {
    final InputStream in;

    Input(InputStream in) {
      super(
          Abi.FD_READ | Abi.FD_FDSTAT_SET_FLAGS | Abi.FD_FILESTAT_GET | Abi.POLL_FD_READWRITE,
          0,
          0);
      this.in = in;
    }
  }

  /** Standard output or error. */
  static final class Output extends Descriptor {
    final OutputStream out;

    Output(OutputStream out) {
      super(
          Abi.FD_WRITE | Abi.FD_FDSTAT_SET_FLAGS | Abi.FD_FILESTAT_GET | Abi.POLL_FD_READWRITE,
          0,
          0);
      this.out = out;
    }
  }

  /**
   * A directory: a preopen (with the guest name it was preopened as) or one opened by path_open.
   * Paths under it are resolved by {@link PathResolver}, never above {@link #path}.
   */
  static final class Dir extends Descriptor {
    final Path path;
    final Optional<String> preopenName;

    /**
     * The names fd_readdir hands out, taken when a listing starts (cookie 0), so that cookies stay
     * valid while the program deletes what it lists (as Rust's remove_dir_all does).
     */
    java.util.List<String> listing;

    Dir(Path path, Optional<String> preopenName, long rightsBase, long rightsInheriting) {
      super(rightsBase, rightsInheriting, 0);
      this.path = path;
      this.preopenName = preopenName;
    }
  }

  /**
   * A regular file. Append mode is weft's own (the channel is never opened with APPEND), so that
   * append can be combined with reading and truncation and switched by fd_fdstat_set_flags.
   */
  static final class File extends Descriptor {
    final Path path;
    final FileChannel channel;
    final boolean readable;
    final boolean writable;

    File(
        Path path,
        FileChannel channel,
        boolean readable,
        boolean writable,
        long rightsBase,
        long rightsInheriting,
        int fdFlags) {
      super(rightsBase, rightsInheriting, fdFlags);
      this.path = path;
      this.channel = channel;
      this.readable = readable;
      this.writable = writable;
    }

    boolean append() {
      return (fdFlags & Abi.FDFLAGS_APPEND) != 0;
    }

    @Override
    void close() throws IOException {
      channel.close();
    }
  }
}
