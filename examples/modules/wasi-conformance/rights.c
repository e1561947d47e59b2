/* Rights: fd_fdstat_get reports them, fd_fdstat_set_rights drops them and cannot add them back. */
#include "conformance.h"

int main(int argc, char **argv) {
  __wasi_fd_t root = preopen(argc > 1 ? argv[1] : "/work");
  __wasi_fdstat_t fs;
  EXPECT_OK(__wasi_fd_fdstat_get(root, &fs), "fdstat of the preopen");
  EXPECT(fs.fs_rights_base & __WASI_RIGHTS_PATH_OPEN, "preopen has PATH_OPEN");
  EXPECT((fs.fs_rights_inheriting & (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE)) == (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE), "preopen passes on read and write");

  __wasi_fd_t f = open_rw(root, "rights.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0);
  EXPECT_OK(write_str(f, "abcd"), "write with all rights");
  EXPECT_OK(__wasi_fd_fdstat_get(f, &fs), "fdstat of the file");
  EXPECT(fs.fs_filetype == __WASI_FILETYPE_REGULAR_FILE, "regular file");
  EXPECT((fs.fs_rights_base & __WASI_RIGHTS_FD_READ) && (fs.fs_rights_base & __WASI_RIGHTS_FD_WRITE), "file has read and write rights");
  EXPECT(!(fs.fs_rights_base & __WASI_RIGHTS_PATH_OPEN), "a file has no directory rights");

  __wasi_rights_t keep = fs.fs_rights_base & ~__WASI_RIGHTS_FD_READ;
  EXPECT_OK(__wasi_fd_fdstat_set_rights(f, keep, 0), "drop FD_READ");
  EXPECT_OK(__wasi_fd_fdstat_get(f, &fs), "fdstat after drop");
  EXPECT(fs.fs_rights_base == keep && fs.fs_rights_inheriting == 0, "fdstat shows the reduced rights");
  __wasi_filesize_t pos;
  EXPECT_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos), "seek still allowed");
  char buf[16];
  EXPECT_ERRNO(read_str(f, buf, sizeof buf), __WASI_ERRNO_BADF, "read without FD_READ: EBADF");
  EXPECT_OK(write_str(f, "x"), "write still allowed");
  EXPECT_ERRNO(__wasi_fd_fdstat_set_rights(f, keep | __WASI_RIGHTS_FD_READ, 0), __WASI_ERRNO_NOTCAPABLE, "adding a right back: ENOTCAPABLE");
  EXPECT_OK(__wasi_fd_fdstat_set_rights(f, 0, 0), "drop everything");
  EXPECT_ERRNO(write_str(f, "x"), __WASI_ERRNO_BADF, "write without FD_WRITE: EBADF");
  EXPECT_OK(__wasi_fd_close(f), "close");

  /* a directory opened with few inheriting rights passes on only those */
  __wasi_fd_t d, g;
  EXPECT_OK(__wasi_path_open(root, 0, ".", __WASI_OFLAGS_DIRECTORY, ALL, __WASI_RIGHTS_FD_READ, 0, &d), "open '.' with read-only inheriting rights");
  EXPECT_OK(__wasi_path_open(d, 0, "rights.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &g), "open through it asking for read and write");
  EXPECT_OK(__wasi_fd_fdstat_get(g, &fs), "fdstat");
  EXPECT(fs.fs_rights_base == __WASI_RIGHTS_FD_READ, "only FD_READ was inherited");
  EXPECT_ERRNO(write_str(g, "x"), __WASI_ERRNO_BADF, "write through it: EBADF");
  EXPECT_OK(__wasi_fd_close(g), "close g");
  EXPECT_OK(__wasi_fd_close(d), "close d");
  EXPECT_OK(__wasi_path_unlink_file(root, "rights.txt"), "unlink");
  return finish();
}
