/* path_rename: files, directories, replacing, trailing slashes, errors; and write-temp-then-rename. */
#include "conformance.h"

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/work";
  __wasi_fd_t root = preopen(dir);
  EXPECT_OK(__wasi_path_create_directory(root, "ren.d"), "mkdir ren.d");
  __wasi_fd_t d, f;
  EXPECT_OK(__wasi_path_open(root, 0, "ren.d", __WASI_OFLAGS_DIRECTORY, ALL, ALL, 0, &d), "open ren.d");

  make_file(d, "a", "A");
  EXPECT_OK(__wasi_path_rename(d, "a", d, "b"), "rename a file");
  __wasi_filestat_t st;
  EXPECT_ERRNO(__wasi_path_filestat_get(d, 0, "a", &st), __WASI_ERRNO_NOENT, "old name is gone");
  make_file(d, "c", "CC");
  EXPECT_OK(__wasi_path_rename(d, "c", d, "b"), "rename over an existing file");
  EXPECT_OK(__wasi_path_filestat_get(d, 0, "b", &st), "stat b");
  EXPECT(st.size == 2, "the file was replaced");
  EXPECT_ERRNO(__wasi_path_rename(d, "zz", d, "b"), __WASI_ERRNO_NOENT, "rename missing: ENOENT");
  EXPECT_OK(__wasi_path_rename(d, "b", d, "b"), "rename onto itself");

  /* directories */
  EXPECT_OK(__wasi_path_create_directory(d, "src"), "mkdir src");
  make_file(d, "src/f", "F");
  EXPECT_OK(__wasi_path_rename(d, "src", d, "dst"), "rename a directory");
  EXPECT_OK(__wasi_path_open(d, 0, "dst/f", 0, __WASI_RIGHTS_FD_READ, 0, 0, &f), "its file moved with it");
  EXPECT_OK(__wasi_fd_close(f), "close");
  EXPECT_OK(__wasi_path_rename(d, "dst/", d, "src"), "trailing slash on the source");
  EXPECT_OK(__wasi_path_rename(d, "src", d, "dst/"), "trailing slash on the destination");
  EXPECT_OK(__wasi_path_rename(d, "dst/", d, "src/"), "trailing slashes on both");
  EXPECT_ERRNO(__wasi_path_rename(d, "b/", d, "e"), __WASI_ERRNO_NOTDIR, "file with trailing slash: ENOTDIR");
  EXPECT_ERRNO(__wasi_path_rename(d, "b", d, "e/"), __WASI_ERRNO_NOTDIR, "file to a name with trailing slash: ENOTDIR");
  EXPECT_OK(__wasi_path_create_directory(d, "empty"), "mkdir empty");
  EXPECT_OK(__wasi_path_rename(d, "empty", d, "empty2"), "rename empty directory");
  EXPECT_OK(__wasi_path_create_directory(d, "e3"), "mkdir e3");
  EXPECT_OK(__wasi_path_rename(d, "empty2", d, "e3"), "rename a directory over an empty one");
  EXPECT_ERRNO(__wasi_path_rename(d, "e3", d, "src"), __WASI_ERRNO_NOTEMPTY, "over a non-empty directory: ENOTEMPTY");
  EXPECT_ERRNO(__wasi_path_rename(d, "e3", d, "b"), __WASI_ERRNO_NOTDIR, "directory over a file: ENOTDIR");
  EXPECT_ERRNO(__wasi_path_rename(d, "b", d, "e3"), __WASI_ERRNO_ISDIR, "file over a directory: EISDIR");
  EXPECT_ERRNO(__wasi_path_rename(d, "src", d, "src/inner"), __WASI_ERRNO_INVAL, "directory into itself: EINVAL");
  EXPECT_ERRNO(__wasi_path_rename(d, "b", d, "../../b"), __WASI_ERRNO_NOTCAPABLE, "out of the directory: ENOTCAPABLE");

  /* between two directory descriptors */
  __wasi_fd_t s;
  EXPECT_OK(__wasi_path_open(d, 0, "src", __WASI_OFLAGS_DIRECTORY, ALL, ALL, 0, &s), "open src");
  EXPECT_OK(__wasi_path_rename(d, "b", s, "b"), "rename across directory fds");
  EXPECT_OK(__wasi_path_filestat_get(s, 0, "b", &st), "it arrived");
  EXPECT_OK(__wasi_fd_close(s), "close src");

  /* the everyday pattern: write a temporary file, then rename it over the real one (libc) */
  char tmp[128], real[128];
  snprintf(tmp, sizeof tmp, "%s/ren.d/out.json.tmp", dir);
  snprintf(real, sizeof real, "%s/ren.d/out.json", dir);
  for (int i = 0; i < 2; i++) {
    FILE *fp = fopen(tmp, "w");
    fprintf(fp, "{\"version\": %d}\n", i);
    fclose(fp);
    EXPECT(rename(tmp, real) == 0, "libc rename temp over real");
  }
  FILE *fp = fopen(real, "r");
  char line[64] = {0};
  EXPECT(fp && fgets(line, sizeof line, fp) && strcmp(line, "{\"version\": 1}\n") == 0, "the real file has the last version");
  if (fp) fclose(fp);

  const char *files[] = {"out.json", "src/b", "src/f"};
  for (unsigned i = 0; i < 3; i++) if (__wasi_path_unlink_file(d, files[i]) != 0) printf("FAIL unlink %s\n", files[i]), failures++;
  EXPECT_OK(__wasi_path_remove_directory(d, "src"), "rmdir src");
  EXPECT_OK(__wasi_path_remove_directory(d, "e3"), "rmdir e3");
  EXPECT_OK(__wasi_fd_close(d), "close");
  EXPECT_OK(__wasi_path_remove_directory(root, "ren.d"), "rmdir ren.d");
  return finish();
}
