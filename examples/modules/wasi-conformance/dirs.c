/* Directories: create, remove, errors, fd_readdir (cookies, short buffers) and libc readdir. */
#include <dirent.h>
#include "conformance.h"

/* Names from one fd_readdir call starting at cookie, joined with ','; returns the bytes used. */
static __wasi_size_t list(__wasi_fd_t d, __wasi_dircookie_t cookie, uint8_t *buf, __wasi_size_t len, char *out, __wasi_dircookie_t *last) {
  __wasi_size_t used = 0;
  if (__wasi_fd_readdir(d, buf, len, cookie, &used) != 0) return 0;
  out[0] = 0;
  for (__wasi_size_t at = 0; at + sizeof(__wasi_dirent_t) <= used;) {
    __wasi_dirent_t e;
    memcpy(&e, buf + at, sizeof e);
    at += sizeof e;
    if (at + e.d_namlen > used) break; /* cut off: the buffer was too small */
    strncat(out, (const char *)buf + at, e.d_namlen);
    strcat(out, e.d_type == __WASI_FILETYPE_DIRECTORY ? "/," : ",");
    at += e.d_namlen;
    *last = e.d_next;
  }
  return used;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/work";
  __wasi_fd_t root = preopen(dir);
  EXPECT_OK(__wasi_path_create_directory(root, "dirs.d"), "mkdir dirs.d");
  EXPECT_ERRNO(__wasi_path_create_directory(root, "dirs.d"), __WASI_ERRNO_EXIST, "mkdir existing: EEXIST");
  EXPECT_ERRNO(__wasi_path_create_directory(root, "nope/sub"), __WASI_ERRNO_NOENT, "mkdir under missing parent: ENOENT");
  __wasi_fd_t d;
  EXPECT_OK(__wasi_path_open(root, 0, "dirs.d", __WASI_OFLAGS_DIRECTORY, ALL, ALL, 0, &d), "open dirs.d");
  __wasi_fdstat_t fs;
  EXPECT_OK(__wasi_fd_fdstat_get(d, &fs), "fdstat of a directory");
  EXPECT(fs.fs_filetype == __WASI_FILETYPE_DIRECTORY, "filetype directory");
  make_file(d, "b", "bb");
  make_file(d, "a", "a");
  EXPECT_OK(__wasi_path_create_directory(d, "c"), "mkdir c");
  make_file(d, "c/inner", "x");

  uint8_t buf[512];
  char names[512];
  __wasi_dircookie_t last = 0;
  list(d, 0, buf, sizeof buf, names, &last);
  printf("listing: %s\n", names);
  EXPECT(strcmp(names, "./,../,a,b,c/,") == 0, "readdir lists . .. and the entries in order");
  list(d, 3, buf, sizeof buf, names, &last);
  EXPECT(strcmp(names, "b,c/,") == 0, "readdir from cookie 3");
  __wasi_size_t used = list(d, 0, buf, 30, names, &last);
  EXPECT(used == 30 && strcmp(names, "./,") == 0 && last == 1, "short buffer: filled, one whole entry, cookie 1");
  used = list(d, 5, buf, sizeof buf, names, &last);
  EXPECT(used == 0, "cookie past the end: nothing");

  EXPECT_ERRNO(__wasi_path_remove_directory(d, "c"), __WASI_ERRNO_NOTEMPTY, "rmdir non-empty: ENOTEMPTY");
  EXPECT_ERRNO(__wasi_path_remove_directory(d, "a"), __WASI_ERRNO_NOTDIR, "rmdir a file: ENOTDIR");
  EXPECT_ERRNO(__wasi_path_remove_directory(d, "zz"), __WASI_ERRNO_NOENT, "rmdir missing: ENOENT");
  EXPECT_ERRNO(__wasi_path_unlink_file(d, "c"), __WASI_ERRNO_ISDIR, "unlink a directory: EISDIR");
  EXPECT_ERRNO(__wasi_path_unlink_file(d, "a/"), __WASI_ERRNO_NOTDIR, "unlink file with trailing slash: ENOTDIR");
  EXPECT_ERRNO(__wasi_path_unlink_file(d, "zz"), __WASI_ERRNO_NOENT, "unlink missing: ENOENT");
  __wasi_fd_t c;
  EXPECT_OK(__wasi_path_open(d, 0, "c/", 0, __WASI_RIGHTS_FD_READDIR, ALL, 0, &c), "open directory with trailing slash");
  EXPECT_ERRNO(__wasi_path_open(c, 0, "../a", 0, __WASI_RIGHTS_FD_READ, 0, 0, &d), __WASI_ERRNO_NOTCAPABLE, "'..' above an opened directory: ENOTCAPABLE");
  EXPECT_ERRNO(__wasi_path_open(d, 0, "c", 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &c), __WASI_ERRNO_ISDIR, "open a directory for writing: EISDIR");
  EXPECT_ERRNO(__wasi_path_open(d, 0, "new/", __WASI_OFLAGS_CREAT, ALL, 0, 0, &c), __WASI_ERRNO_ISDIR, "create with trailing slash: EISDIR");
  __wasi_filestat_t st;
  EXPECT_OK(__wasi_fd_filestat_get(d, &st), "fd_filestat_get of a directory");
  EXPECT(st.filetype == __WASI_FILETYPE_DIRECTORY, "directory filestat type");

  /* libc's opendir/readdir sees the same entries */
  char path[128];
  snprintf(path, sizeof path, "%s/dirs.d", dir);
  DIR *dp = opendir(path);
  int count = 0;
  struct dirent *de;
  while (dp && (de = readdir(dp)) != NULL) count++;
  if (dp) closedir(dp);
  EXPECT(count == 5, "opendir/readdir sees 5 entries");

  EXPECT_OK(__wasi_path_unlink_file(d, "c/inner"), "unlink c/inner");
  EXPECT_OK(__wasi_path_remove_directory(d, "c/"), "rmdir c/");
  EXPECT_OK(__wasi_path_unlink_file(d, "a"), "unlink a");
  EXPECT_OK(__wasi_path_unlink_file(d, "b"), "unlink b");
  EXPECT_ERRNO(__wasi_path_remove_directory(d, "."), __WASI_ERRNO_INVAL, "rmdir '.': EINVAL");
  EXPECT_OK(__wasi_path_remove_directory(root, "dirs.d"), "rmdir dirs.d");
  return finish();
}
