/* Append mode: a+ (append and read), append with truncate, switching APPEND with fd_fdstat_set_flags. */
#include "conformance.h"

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/work";
  __wasi_fd_t root = preopen(dir);
  EXPECT_OK(__wasi_path_create_directory(root, "append.d"), "mkdir append.d");
  char path[128];
  snprintf(path, sizeof path, "%s/append.d/log.txt", dir);

  FILE *fp = fopen(path, "w");
  fputs("first\n", fp);
  fclose(fp);
  fp = fopen(path, "a+");
  EXPECT(fp != NULL, "fopen a+");
  EXPECT(fputs("second\n", fp) >= 0 && fflush(fp) == 0, "append a line");
  rewind(fp);
  char line[64] = {0};
  EXPECT(fgets(line, sizeof line, fp) && strcmp(line, "first\n") == 0, "a+ reads from the start after rewind");
  EXPECT(fgets(line, sizeof line, fp) && strcmp(line, "second\n") == 0, "a+ reads the appended line");
  rewind(fp);
  fputs("third\n", fp);
  fflush(fp);
  fclose(fp);
  fp = fopen(path, "r");
  int lines = 0;
  while (fgets(line, sizeof line, fp)) lines++;
  fclose(fp);
  EXPECT(lines == 3 && strcmp(line, "third\n") == 0, "write after rewind still appends");

  __wasi_fd_t d = preopen(dir), f;
  EXPECT_OK(__wasi_path_open(d, 0, "append.d/log.txt", __WASI_OFLAGS_TRUNC, ALL, ALL, __WASI_FDFLAGS_APPEND, &f), "open with APPEND and O_TRUNC");
  __wasi_filestat_t st;
  EXPECT_OK(__wasi_fd_filestat_get(f, &st), "stat");
  EXPECT(st.size == 0, "append+truncate empties the file");
  __wasi_fdstat_t fs;
  EXPECT_OK(__wasi_fd_fdstat_get(f, &fs), "fdstat");
  EXPECT(fs.fs_flags & __WASI_FDFLAGS_APPEND, "fdstat reports APPEND");

  EXPECT_OK(write_str(f, "0123456789"), "write 10 bytes");
  __wasi_filesize_t pos;
  EXPECT_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos), "seek to 0");
  EXPECT_OK(write_str(f, "AB"), "write in append mode");
  char buf[64];
  EXPECT_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos), "seek to 0 again");
  EXPECT_OK(read_str(f, buf, sizeof buf), "read back");
  EXPECT(strcmp(buf, "0123456789AB") == 0, "append wrote at the end");

  EXPECT_OK(__wasi_fd_fdstat_set_flags(f, 0), "clear APPEND");
  EXPECT_OK(__wasi_fd_fdstat_get(f, &fs), "fdstat after clear");
  EXPECT(!(fs.fs_flags & __WASI_FDFLAGS_APPEND), "APPEND cleared");
  EXPECT_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos), "seek to 0 without append");
  EXPECT_OK(write_str(f, "xy"), "overwrite at 0");
  EXPECT_OK(__wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_APPEND), "set APPEND again");
  EXPECT_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos), "seek to 0 with append");
  EXPECT_OK(write_str(f, "Z"), "append Z");
  __wasi_ciovec_t w = {(const uint8_t *)"p", 1};
  __wasi_size_t n;
  EXPECT_OK(__wasi_fd_pwrite(f, &w, 1, 3, &n), "pwrite at 3 in append mode");
  EXPECT_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos), "seek to 0 to check");
  EXPECT_OK(read_str(f, buf, sizeof buf), "read all");
  EXPECT(strcmp(buf, "xy2p456789ABZ") == 0, "contents after overwrite, append and pwrite");
  EXPECT_ERRNO(__wasi_fd_fdstat_set_flags(f, 0x100), __WASI_ERRNO_INVAL, "unknown fdflags: EINVAL");
  EXPECT_OK(__wasi_fd_close(f), "close");

  EXPECT_OK(__wasi_path_unlink_file(root, "append.d/log.txt"), "unlink");
  EXPECT_OK(__wasi_path_remove_directory(root, "append.d"), "rmdir append.d");
  return finish();
}
