package dev.weft.runtime.internal.wasi;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;

/**
 * A WASI call's failure as an errno, thrown inside weft's host functions and returned to the guest
 * by {@link WasiHost}'s dispatcher. It never escapes to the task, so it carries no stack trace.
 */
final class Errno extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int code;

  Errno(int code) {
    super(null, null, false, false);
    this.code = code;
  }

  static Errno of(int code) {
    return new Errno(code);
  }

  /**
   * The errno for a failed file-system call. Java names some failures only in the message of a
   * plain {@link FileSystemException} (the text of the operating system's strerror), so those are
   * matched by text.
   */
  static int of(IOException e) {
    if (e instanceof NoSuchFileException) return Abi.ENOENT;
    if (e instanceof FileAlreadyExistsException) return Abi.EEXIST;
    if (e instanceof DirectoryNotEmptyException) return Abi.ENOTEMPTY;
    if (e instanceof NotDirectoryException) return Abi.ENOTDIR;
    if (e instanceof AccessDeniedException) return Abi.EACCES;
    if (e instanceof NotLinkException) return Abi.EINVAL;
    if (e instanceof FileSystemLoopException) return Abi.ELOOP;
    String m =
        String.valueOf(e instanceof FileSystemException f ? f.getReason() : e.getMessage())
            .toLowerCase(Locale.ROOT);
    if (m.contains("is a directory")) return Abi.EISDIR;
    if (m.contains("not a directory")) return Abi.ENOTDIR;
    if (m.contains("symbolic links")) return Abi.ELOOP;
    if (m.contains("no space") || m.contains("out of disk space")) return Abi.ENOSPC;
    if (m.contains("read-only")) return Abi.EROFS;
    if (m.contains("cross-device")) return Abi.EXDEV;
    if (m.contains("name too long")) return Abi.ENAMETOOLONG;
    if (m.contains("not permitted")) return Abi.EPERM;
    if (m.contains("permission denied")) return Abi.EACCES;
    return Abi.EIO;
  }
}
