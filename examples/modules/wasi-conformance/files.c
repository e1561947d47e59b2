/* Files: create, open flags, read/write, seek/tell, pread/pwrite, sizes, fd numbers, path checks. */
#include "conformance.h"

int main(int argc, char **argv) {
  __wasi_fd_t root = preopen(argc > 1 ? argv[1] : "/work");
  EXPECT_OK(__wasi_path_create_directory(root, "files.d"), "mkdir files.d");
  __wasi_fd_t d;
  EXPECT_OK(__wasi_path_open(root, 0, "files.d", __WASI_OFLAGS_DIRECTORY, ALL, ALL, 0, &d), "open dir");

  __wasi_fd_t f, g;
  EXPECT_ERRNO(__wasi_path_open(d, 0, "missing", 0, ALL, ALL, 0, &g), __WASI_ERRNO_NOENT, "open missing: ENOENT");
  f = open_rw(d, "a.txt", __WASI_OFLAGS_CREAT, 0);
  EXPECT(f > 2, "new fd above stdio");
  EXPECT_OK(write_str(f, "hello world"), "write");
  __wasi_filesize_t pos;
  EXPECT_OK(__wasi_fd_tell(f, &pos), "tell");
  EXPECT(pos == 11, "position after write is 11");
  EXPECT_OK(__wasi_fd_seek(f, -5, __WASI_WHENCE_END, &pos), "seek from end");
  EXPECT(pos == 6, "seek end-5 is 6");
  char buf[64];
  EXPECT_OK(read_str(f, buf, sizeof buf), "read after seek");
  EXPECT(strcmp(buf, "world") == 0, "read gives 'world'");
  EXPECT_ERRNO(__wasi_fd_seek(f, -100, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_INVAL, "seek before start: EINVAL");
  EXPECT_ERRNO(__wasi_fd_seek(f, 0, 7, &pos), __WASI_ERRNO_INVAL, "bad whence: EINVAL");

  /* pread/pwrite leave the position alone */
  EXPECT_OK(__wasi_fd_seek(f, 2, __WASI_WHENCE_SET, &pos), "seek to 2");
  __wasi_ciovec_t w = {(const uint8_t *)"J", 1};
  __wasi_size_t n;
  EXPECT_OK(__wasi_fd_pwrite(f, &w, 1, 0, &n), "pwrite at 0");
  char two[3] = {0};
  __wasi_iovec_t r[2] = {{(uint8_t *)two, 1}, {(uint8_t *)two + 1, 1}};
  EXPECT_OK(__wasi_fd_pread(f, r, 2, 0, &n), "pread two iovecs at 0");
  EXPECT(n == 2 && strcmp(two, "Je") == 0, "pread gives 'Je'");
  EXPECT_OK(__wasi_fd_tell(f, &pos), "tell after pread/pwrite");
  EXPECT(pos == 2, "position unchanged by pread/pwrite");
  EXPECT_OK(__wasi_fd_pread(f, r, 1, 1000, &n), "pread past end");
  EXPECT(n == 0, "pread past end reads 0");

  /* sizes */
  __wasi_filestat_t st;
  EXPECT_OK(__wasi_fd_filestat_get(f, &st), "fd_filestat_get");
  EXPECT(st.size == 11 && st.filetype == __WASI_FILETYPE_REGULAR_FILE, "size 11, regular file");
  EXPECT_OK(__wasi_fd_filestat_set_size(f, 4), "truncate to 4");
  EXPECT_OK(__wasi_fd_filestat_set_size(f, 8), "extend to 8");
  EXPECT_OK(__wasi_fd_allocate(f, 0, 4), "allocate inside");
  EXPECT_OK(__wasi_fd_allocate(f, 6, 10), "allocate beyond");
  EXPECT_OK(__wasi_path_filestat_get(d, 0, "a.txt", &st), "path_filestat_get");
  EXPECT(st.size == 16, "size after allocate is 16");
  EXPECT_OK(__wasi_fd_pread(f, r, 1, 5, &n), "pread in extension");
  EXPECT(n == 1 && two[0] == 0, "extension reads zero");
  EXPECT_OK(__wasi_fd_sync(f), "fd_sync");
  EXPECT_OK(__wasi_fd_datasync(f), "fd_datasync");
  EXPECT_OK(__wasi_fd_advise(f, 0, 0, __WASI_ADVICE_SEQUENTIAL), "fd_advise");

  /* open flags */
  EXPECT_ERRNO(__wasi_path_open(d, 0, "a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, ALL, ALL, 0, &g), __WASI_ERRNO_EXIST, "O_CREAT|O_EXCL on existing: EEXIST");
  EXPECT_ERRNO(__wasi_path_open(d, 0, "a.txt", __WASI_OFLAGS_DIRECTORY, ALL, ALL, 0, &g), __WASI_ERRNO_NOTDIR, "O_DIRECTORY on a file: ENOTDIR");
  EXPECT_ERRNO(__wasi_path_open(d, 0, "a.txt/", 0, ALL, ALL, 0, &g), __WASI_ERRNO_NOTDIR, "file with trailing slash: ENOTDIR");
  EXPECT_ERRNO(__wasi_path_open(d, 0, "/etc/passwd", 0, ALL, ALL, 0, &g), __WASI_ERRNO_NOTCAPABLE, "absolute path: ENOTCAPABLE");
  EXPECT_ERRNO(__wasi_path_open(d, 0, "../../x", 0, ALL, ALL, 0, &g), __WASI_ERRNO_NOTCAPABLE, "path above the directory: ENOTCAPABLE");
  EXPECT_OK(__wasi_path_create_directory(d, "sub"), "mkdir sub");
  EXPECT_OK(__wasi_path_open(d, 0, "./sub/..//a.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &g), "dots inside the path resolve");
  EXPECT_OK(__wasi_fd_close(g), "close it");
  EXPECT_OK(__wasi_path_remove_directory(d, "sub/"), "rmdir sub/");
  EXPECT_ERRNO(__wasi_path_open(d, 0, "x/../a.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &g), __WASI_ERRNO_NOENT, "missing intermediate directory: ENOENT");
  __wasi_fd_t t;
  EXPECT_OK(__wasi_path_open(d, 0, "a.txt", __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &t), "O_TRUNC");
  EXPECT_OK(__wasi_fd_filestat_get(t, &st), "stat truncated");
  EXPECT(st.size == 0, "O_TRUNC empties the file");
  EXPECT_OK(__wasi_fd_close(t), "close truncated");

  /* read-only descriptors */
  __wasi_fd_t ro;
  EXPECT_OK(__wasi_path_open(d, 0, "a.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &ro), "open read-only");
  EXPECT_ERRNO(write_str(ro, "x"), __WASI_ERRNO_BADF, "write to read-only fd: EBADF");
  __wasi_fd_t wo;
  EXPECT_OK(__wasi_path_open(d, 0, "a.txt", 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &wo), "open write-only");
  EXPECT_ERRNO(read_str(wo, buf, sizeof buf), __WASI_ERRNO_BADF, "read from write-only fd: EBADF");

  /* descriptor numbers: lowest free first, renumber, double close */
  EXPECT_OK(__wasi_fd_close(ro), "close ro");
  EXPECT_OK(__wasi_path_open(d, 0, "a.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &g), "reopen");
  EXPECT(g == ro, "reopen reuses the lowest free fd");
  EXPECT_OK(__wasi_fd_renumber(g, wo), "renumber onto an open fd");
  EXPECT_ERRNO(__wasi_fd_close(g), __WASI_ERRNO_BADF, "renumbered-from fd is closed: EBADF");
  EXPECT_ERRNO(__wasi_fd_renumber(wo, 999), __WASI_ERRNO_BADF, "renumber onto an unopened fd: EBADF");
  EXPECT_OK(__wasi_fd_close(wo), "close renumbered fd");
  EXPECT_ERRNO(__wasi_fd_close(wo), __WASI_ERRNO_BADF, "double close: EBADF");

  /* stdio */
  __wasi_fdstat_t fs;
  EXPECT_OK(__wasi_fd_fdstat_get(1, &fs), "fdstat of stdout");
  EXPECT(fs.fs_filetype != __WASI_FILETYPE_DIRECTORY, "stdout is not a directory");
  EXPECT_ERRNO(__wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_SPIPE, "seek on stdout: ESPIPE");
  EXPECT_ERRNO(__wasi_fd_read(d, r, 1, &n), __WASI_ERRNO_ISDIR, "read a directory fd: EISDIR");

  /* stdio via libc (fopen/fgets) on the same file */
  EXPECT_OK(__wasi_fd_close(f), "close a.txt");
  char path[128];
  snprintf(path, sizeof path, "%s/files.d/b.txt", argc > 1 ? argv[1] : "/work");
  FILE *fp = fopen(path, "w");
  EXPECT(fp != NULL, "fopen w");
  fputs("line one\nline two\n", fp);
  fclose(fp);
  fp = fopen(path, "r");
  char line[64] = {0};
  EXPECT(fp && fgets(line, sizeof line, fp) && fgets(line, sizeof line, fp) && strcmp(line, "line two\n") == 0, "fgets reads the second line");
  if (fp) fclose(fp);

  EXPECT_OK(__wasi_path_unlink_file(d, "a.txt"), "unlink a.txt");
  EXPECT_OK(__wasi_path_unlink_file(d, "b.txt"), "unlink b.txt");
  EXPECT_OK(__wasi_fd_close(d), "close dir");
  EXPECT_OK(__wasi_path_remove_directory(root, "files.d"), "rmdir files.d");
  return finish();
}
