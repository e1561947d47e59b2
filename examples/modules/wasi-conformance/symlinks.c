/* Symlinks and hard links: create, readlink, follow / nofollow, dangling links, escapes. */
#include "conformance.h"

int main(int argc, char **argv) {
  __wasi_fd_t root = preopen(argc > 1 ? argv[1] : "/work");
  EXPECT_OK(__wasi_path_create_directory(root, "links.d"), "mkdir links.d");
  __wasi_fd_t d, f;
  EXPECT_OK(__wasi_path_open(root, 0, "links.d", __WASI_OFLAGS_DIRECTORY, ALL, ALL, 0, &d), "open links.d");
  make_file(d, "target", "content");
  EXPECT_OK(__wasi_path_create_directory(d, "sub"), "mkdir sub");

  EXPECT_OK(__wasi_path_symlink("target", d, "link"), "symlink link -> target");
  EXPECT_OK(__wasi_path_symlink("../target", d, "sub/up"), "symlink sub/up -> ../target");
  EXPECT_ERRNO(__wasi_path_symlink("target", d, "link"), __WASI_ERRNO_EXIST, "symlink over existing: EEXIST");
  char buf[64] = {0};
  __wasi_size_t n;
  EXPECT_OK(__wasi_path_readlink(d, "link", (uint8_t *)buf, sizeof buf, &n), "readlink");
  EXPECT(n == 6 && memcmp(buf, "target", 6) == 0, "readlink gives 'target'");
  memset(buf, 0, sizeof buf);
  EXPECT_OK(__wasi_path_readlink(d, "link", (uint8_t *)buf, 3, &n), "readlink into a short buffer");
  EXPECT(n == 3 && strcmp(buf, "tar") == 0, "readlink is cut to the buffer");
  EXPECT_ERRNO(__wasi_path_readlink(d, "target", (uint8_t *)buf, sizeof buf, &n), __WASI_ERRNO_INVAL, "readlink of a file: EINVAL");

  /* following */
  EXPECT_OK(__wasi_path_open(d, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "sub/up", 0, __WASI_RIGHTS_FD_READ, 0, 0, &f), "open through relative symlink");
  EXPECT_OK(read_str(f, buf, sizeof buf), "read through symlink");
  EXPECT(strcmp(buf, "content") == 0, "symlink leads to the target's content");
  EXPECT_OK(__wasi_fd_close(f), "close");
  EXPECT_ERRNO(__wasi_path_open(d, 0, "link", 0, __WASI_RIGHTS_FD_READ, 0, 0, &f), __WASI_ERRNO_LOOP, "open symlink without follow: ELOOP");
  EXPECT_ERRNO(__wasi_path_open(d, 0, "link", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &f), __WASI_ERRNO_NOTDIR, "O_DIRECTORY on a symlink without follow: ENOTDIR");
  __wasi_filestat_t st, lst;
  EXPECT_OK(__wasi_path_filestat_get(d, 0, "link", &lst), "lstat link");
  EXPECT(lst.filetype == __WASI_FILETYPE_SYMBOLIC_LINK, "nofollow stat sees a symlink");
  EXPECT_OK(__wasi_path_filestat_get(d, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link", &st), "stat link");
  EXPECT(st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.size == 7, "follow stat sees the file");

  /* path_filestat_set_times honours the lookup flags */
  __wasi_filestat_t before;
  EXPECT_OK(__wasi_path_filestat_get(d, 0, "target", &before), "stat target");
  EXPECT_OK(__wasi_path_filestat_set_times(d, 0, "link", 0, 1000000000000ull, __WASI_FSTFLAGS_MTIM), "set mtime of the link itself");
  EXPECT_OK(__wasi_path_filestat_get(d, 0, "link", &lst), "lstat after");
  EXPECT_OK(__wasi_path_filestat_get(d, 0, "target", &st), "stat target after");
  EXPECT(lst.mtim == 1000000000000ull, "the link's mtime changed");
  EXPECT(st.mtim == before.mtim, "the target's mtime did not");
  EXPECT_OK(__wasi_path_filestat_set_times(d, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link", 0, 2000000000000ull, __WASI_FSTFLAGS_MTIM), "set mtime through the link");
  EXPECT_OK(__wasi_path_filestat_get(d, 0, "target", &st), "stat target again");
  EXPECT(st.mtim == 2000000000000ull, "following changes the target's mtime");
  EXPECT_ERRNO(__wasi_path_filestat_set_times(d, 0, "target", 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_INVAL, "MTIM with MTIM_NOW: EINVAL");

  /* escapes */
  EXPECT_OK(__wasi_path_symlink("../../..", d, "out"), "symlink pointing far up can be created");
  EXPECT_ERRNO(__wasi_path_open(d, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "out/etc/passwd", 0, __WASI_RIGHTS_FD_READ, 0, 0, &f), __WASI_ERRNO_NOTCAPABLE, "following it out: ENOTCAPABLE");
  EXPECT_ERRNO(__wasi_path_symlink("/etc/passwd", d, "abs"), __WASI_ERRNO_PERM, "absolute symlink target: EPERM");

  /* dangling symlinks */
  EXPECT_OK(__wasi_path_symlink("nowhere", d, "dangling"), "dangling symlink");
  EXPECT_ERRNO(__wasi_path_open(d, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", 0, __WASI_RIGHTS_FD_READ, 0, 0, &f), __WASI_ERRNO_NOENT, "following a dangling symlink: ENOENT");
  EXPECT_ERRNO(__wasi_path_link(d, 0, "target", d, "dangling"), __WASI_ERRNO_EXIST, "link onto a dangling symlink: EEXIST");
  EXPECT_ERRNO(__wasi_path_symlink("target", d, "dangling"), __WASI_ERRNO_EXIST, "symlink onto a dangling symlink: EEXIST");

  /* trailing slashes on the new path */
  EXPECT_ERRNO(__wasi_path_symlink("target", d, "fresh/"), __WASI_ERRNO_NOENT, "symlink to 'fresh/' (nothing there): ENOENT");
  EXPECT_ERRNO(__wasi_path_symlink("target", d, "sub/"), __WASI_ERRNO_EXIST, "symlink to 'sub/' (a directory): EEXIST");
  EXPECT_ERRNO(__wasi_path_symlink("target", d, "target/"), __WASI_ERRNO_NOTDIR, "symlink to 'target/' (a file): ENOTDIR");

  /* hard links */
  EXPECT_OK(__wasi_path_link(d, 0, "target", d, "sub/hard"), "hard link");
  EXPECT_OK(__wasi_path_filestat_get(d, 0, "sub/hard", &st), "stat hard link");
  EXPECT_OK(__wasi_path_filestat_get(d, 0, "target", &before), "stat original");
  EXPECT(st.ino == before.ino && st.nlink == 2, "hard link shares the inode, nlink 2");
  EXPECT_ERRNO(__wasi_path_link(d, 0, "target", d, "sub/hard"), __WASI_ERRNO_EXIST, "link onto existing: EEXIST");
  EXPECT_ERRNO(__wasi_path_link(d, 0, "sub", d, "subl"), __WASI_ERRNO_PERM, "hard link to a directory: EPERM");
  EXPECT_ERRNO(__wasi_path_link(d, 0, "target", d, "new/"), __WASI_ERRNO_NOENT, "link to 'new/': ENOENT");
  EXPECT_ERRNO(__wasi_path_link(d, 0, "missing", d, "m2"), __WASI_ERRNO_NOENT, "link from missing: ENOENT");

  const char *rm[] = {"sub/hard", "sub/up", "link", "out", "dangling", "target"};
  for (unsigned i = 0; i < sizeof rm / sizeof rm[0]; i++) {
    if (__wasi_path_unlink_file(d, rm[i]) != 0) printf("FAIL unlink %s\n", rm[i]), failures++;
  }
  EXPECT_OK(__wasi_path_remove_directory(d, "sub"), "rmdir sub");
  EXPECT_OK(__wasi_fd_close(d), "close");
  EXPECT_OK(__wasi_path_remove_directory(root, "links.d"), "rmdir links.d");
  return finish();
}
